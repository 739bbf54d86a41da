#!/bin/bash
# CycleGAN, inverted pair, seed $1: the template to 6,000 iterations, scored; then on to 8,000, scored.
# Resumable: rerun the script after a stop and it goes on from the last checkpoint.
cd "$(dirname "$0")/../.."
S=$1
R=runs/cyclegan-invert-8k-seed$S
for N in 6000 8000; do
  if [ -f $R-at$N.eval.json ]; then continue; fi
  if [ -d $R/checkpoint ]; then RES="--resume $R/checkpoint"; else RES=""; fi
  npx tsx src/cli/train.ts cyclegan --seed $S --threads 1 --steps $N --save-every 500 $RES --out $R >> $R.log 2>&1
  rm -rf $R-at$N && cp -r $R/checkpoint $R-at$N
  npx tsx bench/reproduce/cyclegan.ts --checkpoint $R-at$N --out $R-at$N.eval.json > $R-at$N.eval.log 2>&1
done
