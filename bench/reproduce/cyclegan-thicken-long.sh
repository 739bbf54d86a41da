#!/bin/bash
# CycleGAN, thickened pair, seed $1: the template on to each of the given iteration counts, scoring each.
S=$1; shift
exec bash "$(dirname "$0")/cyclegan-runs.sh" templates/cyclegan.json thicken "$S" "cyclegan-thicken-seed$S" "$@"
