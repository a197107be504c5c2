import sys

from trustcircles.cli import main

sys.exit(main())
