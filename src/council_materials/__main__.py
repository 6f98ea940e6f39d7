"""``python -m council_materials`` runs the ``council`` command."""
from .cli import main

main()
