#!/bin/bash
# Trains a CycleGAN document on to each named iteration count, scoring each point on 2,000 test pairs
# (bench/reproduce/cyclegan.ts), into runs/NAME, runs/NAME-atN and runs/NAME-atN.eval.json.
# Resumable: rerun it after a stop and it goes on from the last checkpoint, skipping scored points.
#   bash bench/reproduce/cyclegan-runs.sh DOC PRESET SEED NAME N...     (PRESET: - for none)
#   bash bench/reproduce/cyclegan-runs.sh bench/reproduce/cyclegan-down0.json - 2 cyclegan-down0-invert-seed2 2000 4000 6000
set -e
cd "$(dirname "$0")/../.."
DOC=$1; P=$2; S=$3; R=runs/$4; shift 4
PRESET=$([ "$P" = - ] || echo "--preset $P")
mkdir -p runs
for N in "$@"; do
  if [ -f $R-at$N.eval.json ]; then continue; fi
  if [ -d $R/checkpoint ]; then RES="--resume $R/checkpoint"; else RES=""; fi
  npx tsx src/cli/train.ts $DOC $PRESET --seed $S --threads 1 --steps $N --save-every 500 $RES --out $R >> $R.log 2>&1
  rm -rf $R-at$N && cp -r $R/checkpoint $R-at$N
  npx tsx bench/reproduce/cyclegan.ts --doc $DOC $PRESET --checkpoint $R-at$N --out $R-at$N.eval.json > $R-at$N.eval.log 2>&1
done
