#!/usr/bin/env bash
# npm run build:model: rebuilds models/tiny-codellama from nothing, on a CPU, with fixed seeds.
# Needs (not part of npm test or CI):
#   apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread   (Debian 12: torch 1.13, onnx 1.12)
#   npm install                                                                         (llama-tokenizer-js, transformers.js, tsx)
# Takes about 97 minutes of training on 2 cores: STEPS=1800 at 256 tokens, LONG_STEPS=700 at 512 tokens, then
# ENDING_STEPS=500 of phase 3 (finetune.py), which teaches ▁<EOT> at the end of a middle; ENDING_STEPS=0 skips it.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${STEPS:-1800}
LONG_STEPS=${LONG_STEPS:-700}
ENDING_STEPS=${ENDING_STEPS:-500}
OUT=models/tiny-codellama
WORK=models/build/work
PY=/usr/bin/python3
for mod in torch onnx numpy; do
  "$PY" -c "import $mod" 2>/dev/null || { echo "build:model needs Debian's python3-$mod: apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread" >&2; exit 2; }
done
mkdir -p "$WORK" "$OUT"
node models/build/tokenizer.mjs "$OUT"
node models/build/corpus.mjs "$OUT" "$WORK"
# Large tensors are allocated every step: keep freed memory in the heap instead of returning it to the kernel.
export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=1073741824
"$PY" models/build/train.py "$WORK" "$STEPS"
"$PY" models/build/train.py "$WORK" "$LONG_STEPS" 512 8 1.5e-3 "$WORK/ckpt.pt" long
# Phase 3 starts from phase 2's checkpoint; to redo only it on the shipped weights, rebuild that checkpoint first with
# python3 models/build/from_onnx.py models/tiny-codellama models/build/work/ckpt_long.pt (exact: fp32 weights).
CKPT="$WORK/ckpt_long.pt"; LOGS=("$WORK/train_log.tsv" "$WORK/train_log_long.tsv")
if [ "$ENDING_STEPS" -gt 0 ]; then
  "$PY" models/build/finetune.py "$WORK" "$WORK/ckpt_long.pt" "$ENDING_STEPS" 1.5e-3
  CKPT="$WORK/ckpt_endings.pt"; LOGS+=("$WORK/train_log_endings.tsv")
fi
node --import tsx models/build/prompts.ts "$OUT" "$WORK/prompts.json"
"$PY" models/build/export.py "$CKPT" "$OUT" "$WORK/prompts.json" "$WORK/torch_reference.json"
"$PY" models/build/fuse.py "$OUT"
"$PY" models/build/quantize.py "$OUT/onnx/model.onnx" "$OUT/onnx/model_quantized.onnx"
"$PY" models/build/plot_loss.py "${LOGS[@]}" "$OUT/train_log.tsv" "$OUT/loss_curve.svg"
node --import tsx models/build/evaluate.ts "$OUT" "$WORK"
du -sh "$OUT"
