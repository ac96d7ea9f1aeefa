"""``python -m chainrule`` runs the command line, through the console script's entry
point (``chainrule_cli``), so that Ctrl-C ends it in one line and status 130 as well."""

import sys

from chainrule_cli import main

sys.exit(main())
