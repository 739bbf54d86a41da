#!/bin/bash
# CycleGAN without the identity loss (bench/reproduce/cyclegan-noidt.json), preset $1 (thicken or
# invert), seed $2: on to each iteration count named after them, scoring each point.
P=$1; S=$2; shift 2
exec bash "$(dirname "$0")/cyclegan-runs.sh" bench/reproduce/cyclegan-noidt.json "$([ "$P" = invert ] && echo - || echo "$P")" "$S" "cyclegan-noidt-$P-seed$S" "$@"
