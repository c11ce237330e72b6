"""The GPU recipe: one timed training run of a bigger Code Llama-architecture model (model.py: Llama layers, GQA, Code
Llama's tokenizer and FIM tokens) on the streams of corpus.py or corpus.mjs, written as bf16 shards small enough to
come back from a lent machine (at most 8 files of 16 MiB). gpu_recipe.sh runs it; `--device cpu --scale small` is the
same script at a size this machine trains in minutes, so the GPU run is checked before it gets device time.

One phase with 512-token windows and a time-based cosine schedule (the step count follows the machine, the minutes do
not): plain and FIM windows of the training stream, and in the last ENDINGS_SHARE of the time, 3 of every 4 rows from
the endings stream with its weights (the middle and its ▁<EOT> 1, the prompt 0.1), so that middles end with ▁<EOT>.
Full softmax over the 32,016-token vocabulary; bf16 autocast on CUDA, fp32 on the CPU.
Usage: python3 recipe.py WORK_DIR OUT_DIR --device cuda|cpu --scale full|small [--minutes M] [--max-steps N]
       -> OUT_DIR/weights.json + weights-NN.bin (bf16), OUT_DIR/train_log.tsv, OUT_DIR/recipe.json"""
import argparse, json, math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F
sys.path.insert(0, os.path.dirname(__file__))
from model import Shape, TinyCodeLlama, validation_loss

SCALES = {
    # About 25 M parameters (12.3 M of them the embedding): an int8 file of about 26 MB, within the VSIX budget.
    'full': {'shape': {'hidden_size': 384, 'num_hidden_layers': 8, 'num_attention_heads': 6, 'num_key_value_heads': 2,
                       'intermediate_size': 1024}, 'batch': 64, 'peak_lr': 2e-3, 'minutes': 9.0},
    # Another shape than the shipped model's (2 layers, head_dim 16), so the export path is checked for any shape.
    'small': {'shape': {'hidden_size': 64, 'num_hidden_layers': 2, 'num_attention_heads': 4, 'num_key_value_heads': 2,
                        'intermediate_size': 192}, 'batch': 4, 'peak_lr': 3e-3, 'minutes': 3.0},
}
SEQ, WARMUP_SHARE, ENDINGS_SHARE, PROMPT_WEIGHT, SHARD_BYTES = 512, 0.02, 0.3, 0.1, 15 << 20

args = argparse.ArgumentParser()
args.add_argument('work')
args.add_argument('out')
args.add_argument('--device', choices=['cuda', 'cpu'], required=True)
args.add_argument('--scale', choices=list(SCALES), required=True)
args.add_argument('--minutes', type=float)
args.add_argument('--max-steps', type=int, default=0, help='stop after this many steps too (0: only the minutes)')
args = args.parse_args()
scale = SCALES[args.scale]
minutes = args.minutes or scale['minutes']
if args.device == 'cuda' and not torch.cuda.is_available():
    sys.exit('recipe.py: --device cuda but PyTorch sees no GPU; use --device cpu --scale small for the check')
device = torch.device(args.device)
torch.manual_seed(0)
rng = np.random.RandomState(0)
if args.device == 'cuda':
    torch.backends.cuda.matmul.allow_tf32 = True
else:
    torch.set_num_threads(int(os.environ.get('TRAIN_THREADS', '2')))


def stream(name, dtype):
    return np.fromfile(os.path.join(args.work, name), dtype=dtype)


train, val = stream('train.u16', np.uint16).astype(np.int64), stream('val.u16', np.uint16).astype(np.int64)
endings = stream('endings.u16', np.uint16).astype(np.int64)
weight = np.where(stream('endings_weight.u8', np.uint8) > 0, 1.0, PROMPT_WEIGHT).astype(np.float32)
starts = {'train': np.nonzero(train[:-SEQ - 1] == 1)[0], 'endings': np.nonzero(endings[:-SEQ - 1] == 1)[0]}
shape = Shape(**scale['shape'])
model = TinyCodeLlama(shape).to(device)
params = sum(p.numel() for p in model.parameters())
val_rng = np.random.RandomState(1)
val_starts = np.nonzero(val[:-SEQ - 1] == 1)[0]
val_batches = [torch.from_numpy(np.stack([val[i:i + SEQ + 1] for i in val_starts[val_rng.randint(0, len(val_starts), 8)]])).to(device)
               for _ in range(8)]
opt = torch.optim.AdamW(model.parameters(), lr=scale['peak_lr'], betas=(0.9, 0.95), weight_decay=0.01)
autocast = torch.autocast(device_type=args.device, dtype=torch.bfloat16, enabled=args.device == 'cuda')
print(f'{args.scale} on {args.device}: params {params / 1e6:.2f}M, train tokens {len(train)}, endings tokens {len(endings)}, '
      f'{minutes} minutes', flush=True)


def batch(progress):
    """Rows of the training stream; in the last ENDINGS_SHARE of the time, 3 of 4 rows from the endings stream."""
    n = scale['batch']
    n_end = 3 * n // 4 if progress >= 1 - ENDINGS_SHARE else 0
    e_at = starts['endings'][rng.randint(0, len(starts['endings']), n_end)]
    t_at = starts['train'][rng.randint(0, len(starts['train']), n - n_end)]
    x = np.stack([endings[i:i + SEQ + 1] for i in e_at] + [train[i:i + SEQ + 1] for i in t_at])
    w = np.stack([weight[i + 1:i + SEQ + 1] for i in e_at] + [np.ones(SEQ, np.float32)] * (n - n_end))
    return torch.from_numpy(x).to(device, non_blocking=True), torch.from_numpy(w).to(device, non_blocking=True)


def val_loss():
    with autocast:
        return validation_loss(model, val_batches)


os.makedirs(args.out, exist_ok=True)
log = open(os.path.join(args.out, 'train_log.tsv'), 'w')
log.write('step\tminutes\ttokens\ttrain_loss\tval_loss\n')
t0, ema, step, last_val, progress = time.time(), None, 0, -1.0, 0.0
while progress < 1 and (args.max_steps == 0 or step < args.max_steps):
    step += 1
    progress = (time.time() - t0) / 60 / minutes
    if args.max_steps:
        progress = max(progress, step / args.max_steps)
    lr = scale['peak_lr'] * min(1.0, progress / WARMUP_SHARE) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(progress, 1))))
    for g in opt.param_groups:
        g['lr'] = lr
    x, w = batch(progress)
    with autocast:
        logits = model.training_hidden(x[:, :-1]) @ model.embed_t
        per_token = F.cross_entropy(logits.reshape(-1, shape.vocab_size).float(), x[:, 1:].reshape(-1), reduction='none')
    flat = w.reshape(-1)
    loss = (per_token * flat).sum() / flat.sum()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
    elapsed = (time.time() - t0) / 60
    done = progress >= 1 or step == args.max_steps
    if step % 50 == 0 or step == 1 or done:
        vl = float('nan')
        if elapsed - last_val >= minutes / 10 or step == 1 or done:
            vl, last_val = val_loss(), elapsed
            print(f'step {step} {elapsed:.2f} min loss {ema:.3f} val {vl:.3f} lr {lr:.2e}', flush=True)
        log.write(f'{step}\t{elapsed:.2f}\t{step * scale["batch"] * SEQ}\t{ema:.4f}\t{vl:.4f}\n')
        log.flush()
log.close()

# bf16 shards: every tensor's bytes one after another, cut every SHARD_BYTES; weights.json says where each one is.
state = {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
blob, index, offset = [], [], 0
for name, t in state.items():
    raw = t.to(torch.bfloat16).view(torch.int16).numpy().tobytes()
    index.append({'name': name, 'shape': list(t.shape), 'offset': offset, 'bytes': len(raw)})
    blob.append(raw)
    offset += len(raw)
blob = b''.join(blob)
shards = []
for i in range(0, len(blob), SHARD_BYTES):
    shards.append(f'weights-{len(shards):02d}.bin')
    with open(os.path.join(args.out, shards[-1]), 'wb') as f:
        f.write(blob[i:i + SHARD_BYTES])
json.dump({'shape': shape.to_dict(), 'dtype': 'bfloat16', 'shards': shards, 'tensors': index},
          open(os.path.join(args.out, 'weights.json'), 'w'), indent=1)
info = {'scale': args.scale, 'device': args.device, 'gpu': torch.cuda.get_device_name(0) if args.device == 'cuda' else None,
        'torch': torch.__version__, 'params': params, 'steps': step, 'minutes': round(elapsed, 2),
        'tokensSeen': step * scale['batch'] * SEQ, 'batch': scale['batch'], 'seq': SEQ, 'peakLr': scale['peak_lr'],
        'finalTrainLoss': round(ema, 4), 'validationLoss': round(vl, 4), 'trainTokens': int(len(train))}
json.dump(info, open(os.path.join(args.out, 'recipe.json'), 'w'), indent=1)
print(json.dumps(info), flush=True)
