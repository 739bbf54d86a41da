#!/bin/bash
# CycleGAN, thickened pair, seed $1: on to each of the given iteration counts, scoring each point.
cd "$(dirname "$0")/../.."
S=$1; shift
R=runs/cyclegan-thicken-seed$S
for N in "$@"; do
  if [ -f $R-at$N.eval.json ]; then continue; fi
  if [ -d $R/checkpoint ]; then RES="--resume $R/checkpoint"; else RES=""; fi
  npx tsx src/cli/train.ts cyclegan --preset thicken --seed $S --threads 1 --steps $N --save-every 500 $RES --out $R >> $R.log 2>&1
  rm -rf $R-at$N && cp -r $R/checkpoint $R-at$N
  npx tsx bench/reproduce/cyclegan.ts --preset thicken --checkpoint $R-at$N --out $R-at$N.eval.json > $R-at$N.eval.log 2>&1
done
