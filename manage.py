#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # Fail closed, as config/asgi.py: production unless the caller names other settings
    # (`make demo` and `make test` do; by hand: DJANGO_SETTINGS_MODULE=config.settings.dev).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
