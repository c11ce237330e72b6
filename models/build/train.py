"""Trains the tiny Code Llama on the streams from corpus.mjs: next-token loss on plain and FIM examples.
Fixed seeds and a fixed step count, so the same machine type gives the same weights.
The softmax runs over the tokens that occur in the training stream plus 1,024 other tokens sampled each step (a
sampled softmax): the Python corpus uses under half of the 32,016-piece vocabulary, and the LM head is most of the
cost on a CPU. Sampled negatives keep never-seen tokens below the seen ones; validation loss is over the full vocabulary.
Two phases (build.sh): 1800 steps of 16 x 256 tokens from scratch, then 700 steps of 8 x 512 tokens from that checkpoint
at a lower learning rate, so that positions up to 512 (a prompt with both prefix and suffix) and every example's end
(where ▁<EOT> is) are trained.
Usage: python3 train.py WORK_DIR STEPS [SEQ BATCH PEAK_LR INIT_CKPT PHASE_NAME]
       -> WORK_DIR/ckpt.pt, WORK_DIR/train_log.tsv (or _PHASE_NAME)"""
import math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F
sys.path.insert(0, os.path.dirname(__file__))
from model import Shape, TinyCodeLlama, validation_loss

work, steps = sys.argv[1], int(sys.argv[2])
extra = sys.argv[3:]
phase = extra[4] if len(extra) > 4 else ''
torch.set_num_threads(int(os.environ.get('TRAIN_THREADS', '2')))
torch.manual_seed(0)
rng = np.random.RandomState(0)
SEQ = int(extra[0]) if len(extra) > 0 else 256
BATCH = int(extra[1]) if len(extra) > 1 else 16
PEAK_LR = float(extra[2]) if len(extra) > 2 else 4e-3
INIT = extra[3] if len(extra) > 3 else None
WARMUP, NEGATIVES = 60, 1024

train = np.fromfile(os.path.join(work, 'train.u16'), dtype=np.uint16).astype(np.int64)
val = np.fromfile(os.path.join(work, 'val.u16'), dtype=np.uint16).astype(np.int64)
shape = Shape()
seen = np.unique(train)
unseen = np.setdiff1d(np.arange(shape.vocab_size), seen)
starts = np.nonzero(train[:-SEQ - 1] == 1)[0]


def windows(arr, at):
    return torch.from_numpy(np.stack([arr[i:i + SEQ + 1] for i in at]))


val_rng = np.random.RandomState(1)
val_starts = np.nonzero(val[:-SEQ - 1] == 1)[0]
val_batches = [windows(val, val_starts[val_rng.randint(0, len(val_starts), BATCH)]) for _ in range(8)]
model = TinyCodeLlama(shape)
if INIT:
    model.load_state_dict(torch.load(INIT)['state'])
    print('continuing from', INIT, flush=True)
opt = torch.optim.AdamW(model.parameters(), lr=PEAK_LR, betas=(0.9, 0.95), weight_decay=0.01)
print(f'params {sum(p.numel() for p in model.parameters())/1e6:.2f}M, seen tokens {len(seen)}, train tokens {len(train)}', flush=True)


def val_loss():
    return validation_loss(model, val_batches)


remap = torch.full((shape.vocab_size,), -1, dtype=torch.long)
suffix = f'_{phase}' if phase else ''
log = open(os.path.join(work, f'train_log{suffix}.tsv'), 'w')
log.write('step\tminutes\ttokens\ttrain_loss\tval_loss\n')
t0, ema = time.time(), None
for step in range(1, steps + 1):
    lr = PEAK_LR * min(1.0, step / WARMUP) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / steps)))
    for g in opt.param_groups:
        g['lr'] = lr
    x = windows(train, starts[rng.randint(0, len(starts), BATCH)])
    vocab = torch.from_numpy(np.concatenate([seen, rng.choice(unseen, NEGATIVES, replace=False)]))
    remap[vocab] = torch.arange(len(vocab))
    h = model.training_hidden(x[:, :-1]).reshape(-1, shape.hidden_size)
    logits = h @ model.embed_t.index_select(1, vocab)
    loss = F.cross_entropy(logits, remap[x[:, 1:].reshape(-1)])
    remap[vocab] = -1
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
    if step % 25 == 0 or step == 1 or step == steps:
        vl = val_loss() if step % 250 == 0 or step in (1, steps) else float('nan')
        minutes = (time.time() - t0) / 60
        log.write(f'{step}\t{minutes:.2f}\t{step * BATCH * SEQ}\t{ema:.4f}\t{vl:.4f}\n')
        log.flush()
        print(f'step {step}/{steps} {minutes:.1f} min loss {ema:.3f} val {vl:.3f} lr {lr:.2e}', flush=True)
    if step % 250 == 0 or step == steps:
        torch.save({'shape': shape.to_dict(), 'state': model.state_dict(), 'step': step}, os.path.join(work, f'ckpt{suffix}.pt'))
log.close()
print('done', steps, 'steps', flush=True)
