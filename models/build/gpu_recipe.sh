#!/usr/bin/env bash
# The GPU recipe (#19), in three verbs:
#   gpu_recipe.sh train cuda full OUT [MINUTES]   on a lent GPU: corpus.py from that machine's own permissively licensed
#                                                 Python (stdlib + site-packages, licenses recorded), recipe.py, then
#                                                 OUT holds what comes back: weights-NN.bin (bf16) and meta.tar
#   gpu_recipe.sh finish OUT MODEL_DIR            here: from_shards.py, export.py, fuse.py, quantize.py, the loss chart
#                                                 and evaluate.ts (its own held-out cases, and HumanEval infilling)
#   gpu_recipe.sh check                           both at small scale on this CPU (npm run build:model:check): the same
#                                                 scripts, another shape, about 10 minutes, into models/build/work-check
# Needs PyTorch, numpy, onnx and the Python `tokenizers` package (the GPU image has them; here Debian's python3-torch,
# python3-onnx, python3-numpy and `pip install tokenizers`), and for finish the project's npm packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-python3}
BUILD=models/build
verb=${1:-}

train() { # DEVICE SCALE OUT [MINUTES] [MAX_FILES]
  local device=$1 scale=$2 out=$3 minutes=${4:-} max_files=${5:-30000} work
  work=$(mktemp -d)
  "$PY" -c 'import torch, numpy, tokenizers' || { echo "gpu_recipe.sh: needs torch, numpy and tokenizers in $PY" >&2; exit 2; }
  mkdir -p "$out"
  "$PY" "$BUILD/corpus.py" models/tiny-codellama "$work" --sources image --max-files "$max_files"
  "$PY" "$BUILD/recipe.py" "$work" "$work/run" --device "$device" --scale "$scale" ${minutes:+--minutes "$minutes"}
  mv "$work"/run/weights-*.bin "$out"/
  cp "$work/corpus.json" "$work/eval_cases.jsonl" "$work/run/"
  tar -cf "$out/meta.tar" -C "$work/run" weights.json train_log.tsv recipe.json corpus.json eval_cases.jsonl
  rm -rf "$work"
  ls -l "$out"
}

finish() { # OUT MODEL_DIR
  local out=$1 model=$2 work
  work=$(mktemp -d)
  tar -xf "$out/meta.tar" -C "$work"
  cp "$out"/weights-*.bin "$work"/
  mkdir -p "$model/onnx"
  cp models/tiny-codellama/{tokenizer.json,tokenizer_config.json,special_tokens_map.json,LICENSE-LLAMA2.md} "$model"/
  "$PY" "$BUILD/from_shards.py" "$work" "$work/ckpt.pt"
  node --import tsx "$BUILD/prompts.ts" "$model" "$work/prompts.json"
  "$PY" "$BUILD/export.py" "$work/ckpt.pt" "$model" "$work/prompts.json" "$work/torch_reference.json"
  "$PY" "$BUILD/fuse.py" "$model"
  "$PY" "$BUILD/quantize.py" "$model/onnx/model.onnx" "$model/onnx/model_quantized.onnx"
  "$PY" "$BUILD/plot_loss.py" --seq 512 "$work/train_log.tsv" "$model/train_log.tsv" "$model/loss_curve.svg"
  cp "$work/recipe.json" "$model/recipe.json"
  node --import tsx "$BUILD/evaluate.ts" "$model" "$work"
  rm -rf "$work"
  du -sh "$model" "$model"/onnx/*
}

case "$verb" in
  train) shift; train "$@" ;;
  finish) shift; finish "$@" ;;
  check)
    PY=${PY_CHECK:-/usr/bin/python3}
    out=$BUILD/work-check
    rm -rf "$out"
    train cpu small "$out/shards" "${CHECK_MINUTES:-3}" 600
    finish "$out/shards" "$out/model"
    echo "gpu_recipe.sh check: passed; the small model and its eval.json are in $out/model" ;;
  *) echo "usage: gpu_recipe.sh train cuda full OUT [MINUTES] | finish OUT MODEL_DIR | check" >&2; exit 2 ;;
esac
