"""Old name of the validator's command line, kept for muscle memory: python -m scripts.policy.validate."""
import sys

from scripts.policy.validate import main

if __name__ == "__main__":
    sys.exit(main())
