#!/usr/bin/env bash
# Connection settings for the services that services/up.sh starts.
#   source services/env.sh        exports them into the current shell
#   eval "$(services/env.sh)"     same, from any shell
#   services/env.sh               prints them as export lines
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if (return 0 2>/dev/null); then
    # Sourced: export, and leave the caller's shell options alone (no set -e here).
    export DATABASE_URL REDIS_URL ELASTICSEARCH_URL
else
    set -euo pipefail
    printf 'export %s=%q\n' DATABASE_URL "$DATABASE_URL" REDIS_URL "$REDIS_URL" ELASTICSEARCH_URL "$ELASTICSEARCH_URL"
fi
