#!/bin/bash
# CycleGAN without the identity loss (bench/reproduce/cyclegan-noidt.json), preset $1 (thicken or
# invert), seed $2: trains on to each iteration count named after them, scoring each point.
# Resumable: rerun it after a stop and it goes on from the last checkpoint.
cd "$(dirname "$0")/../.."
P=$1; S=$2; shift 2
DOC=bench/reproduce/cyclegan-noidt.json
PRESET=$([ "$P" = invert ] || echo "--preset $P")
R=runs/cyclegan-noidt-$P-seed$S
for N in "$@"; do
  if [ -f $R-at$N.eval.json ]; then continue; fi
  if [ -d $R/checkpoint ]; then RES="--resume $R/checkpoint"; else RES=""; fi
  npx tsx src/cli/train.ts $DOC $PRESET --seed $S --threads 1 --steps $N --save-every 500 $RES --out $R >> $R.log 2>&1
  rm -rf $R-at$N && cp -r $R/checkpoint $R-at$N
  npx tsx bench/reproduce/cyclegan.ts --doc $DOC $PRESET --checkpoint $R-at$N --out $R-at$N.eval.json > $R-at$N.eval.log 2>&1
done
