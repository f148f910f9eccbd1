#!/usr/bin/env bash
# Runs on a machine with an NVIDIA GPU, from the repository root (bash, Python with PyTorch and CUDA; onnxruntime
# for step 4). The prepared GPU session for the tracker, sized for a short loan of a GPU and resumable, so
# several short sessions add up to one long run:
#   bash scripts/gpu-session.sh [MINUTES=8] [small|full]
# 1. says which GPU and PyTorch it has, and stops if CUDA is not usable;
# 2. fine-tunes mmfnet-small from the bundled checkpoint (small), or trains mmfnet-full from scratch (full), on
#    real/train for MINUTES, resuming training/runs/gpu-CONFIG/last.pt when it is there. The in-run evaluation
#    reads one TRAINING match held out of training (lee-z-j-v-shi-y-q-odense): val and new-camera are test
#    sets, read afterwards by `track` + `eval`, once per run;
# 3. exports best.pt to ONNX (parity with onnxruntime-node checked by the export where node is present);
# 4. checks onnxruntime's CUDA provider against its CPU provider on that model and on the bundled one
#    (largest probability difference, windows/s each).
# Everything it prints is also written to training/runs/gpu-CONFIG/session.log, and copied to $OUT when set.
# SHUTTLE_DATA overrides the data root (default ../shared/data/real), SHUTTLE_HOLD the held-out training match,
# PYTHON the Python (default python3). DEVICE=cpu runs the same steps without a GPU (a smoke test of the script
# on a small data root: `DEVICE=cpu SHUTTLE_DATA=... SHUTTLE_HOLD=... bash scripts/gpu-session.sh 0.3`).
set -euo pipefail
MINUTES=${1:-8}
CONFIG=${2:-small}
DATA=$(realpath "${SHUTTLE_DATA:-../shared/data/real}")
PY=${PYTHON:-python3}
HOLD=${SHUTTLE_HOLD:-lee-z-j-v-shi-y-q-odense}
DEVICE=${DEVICE:-cuda}
RUN=runs/gpu-$CONFIG
cd "$(dirname "$0")/../training"
mkdir -p "$RUN/holdout"
exec > >(tee -a "$RUN/session.log") 2>&1
echo "== $(date -u +%FT%TZ) gpu-session: $MINUTES min, $CONFIG"

if [ "$DEVICE" = cuda ]; then
  nvidia-smi -L || true
  "$PY" -c 'import torch; assert torch.cuda.is_available(), "PyTorch sees no CUDA device"; print("torch", torch.__version__, torch.cuda.get_device_name(0))'
fi

ln -sfn "$DATA/train/$HOLD" "$RUN/holdout/$HOLD"
case "$CONFIG" in
  small) MODEL=(--arch mmfnet-small --init ../resources/models/mmfnet-small.pt --lr 5e-4) ;;
  full) MODEL=(--arch mmfnet-full --background --lr 1e-3) ;;
  *) echo "the configuration is small or full, not $CONFIG" >&2; exit 2 ;;
esac
# train.py's --minutes is the run's whole budget, kept across --resume: this session adds MINUTES to it.
RESUME=()
BUDGET=$MINUTES
if [ -f "$RUN/last.pt" ]; then
  RESUME=(--resume)
  BUDGET=$("$PY" -c "import torch; print(torch.load('$RUN/last.pt', map_location='cpu')['state']['elapsed'] / 60 + $MINUTES)")
  echo "resuming $RUN/last.pt, budget now $BUDGET minutes"
fi
"$PY" -m shuttle_training.train "${MODEL[@]}" "${RESUME[@]}" \
  --train "$DATA/train" --exclude-match "$HOLD" --val "$RUN/holdout" --out "$RUN" --cache runs/cache \
  --crop 288x512 --batch 32 --pos-weight 10 --workers "${WORKERS:-12}" --bf16 --threads 4 --device "$DEVICE" \
  --epochs 1000 --minutes "$BUDGET" --eval-stride 1 --thresholds 0.4,0.5,0.6,0.7,0.8 \
  --camera-aug --hard-negatives 0.2

"$PY" -m shuttle_training.export --checkpoint "$RUN/best.pt" --out "$RUN/model.onnx" \
  --trained-on "real/train without $HOLD, $CONFIG, GPU session" || echo "export: failed (above)"

for m in "$RUN/model.onnx" ../resources/models/mmfnet-small.onnx; do
  [ -f "$m" ] && { "$PY" -m shuttle_training.provider_check "$m" --windows 30 || echo "provider check: $m did not pass"; }
done
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  cp "$RUN/session.log" "$RUN/best.pt" "$RUN/last.pt" "$RUN/model.onnx" "$OUT/" 2>/dev/null || true
fi
echo "== done: $RUN (best.pt, last.pt, model.onnx, session.log)"
