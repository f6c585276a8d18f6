#!/usr/bin/env python3
"""用电客户受理员柜台实训系统 — the desk trainer's command line. See README.md."""

from trainer.cli import main

if __name__ == "__main__":
    main()
