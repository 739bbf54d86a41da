#!/bin/bash
# CycleGAN, inverted pair, seed $1: the template to 6,000 iterations, scored; then on to 8,000, scored.
exec bash "$(dirname "$0")/cyclegan-runs.sh" templates/cyclegan.json - "$1" "cyclegan-invert-8k-seed$1" 6000 8000
