"""`python -m autograd_lite ...` runs the `autograd-lite` command line."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
