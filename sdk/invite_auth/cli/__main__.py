"""`python -m invite_auth.cli`: the same as the `invite-auth` command."""

import sys

from . import main

sys.exit(main())
