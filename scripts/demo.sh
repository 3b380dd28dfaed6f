#!/usr/bin/env bash
# Builds the library and runs the demos: the C walkthrough (keys, signatures, sealed save
# files) and the secure session over UDP on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
examples/c/build.sh
if [ -x examples/c/run_udp_demo.sh ]; then
    examples/c/run_udp_demo.sh
fi
