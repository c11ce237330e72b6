"""Phase 3: teaches the model to end a middle with ▁<EOT>. Starts from a checkpoint (phase 2's, or from_onnx.py's of
the shipped graph) and trains on the endings stream of corpus.mjs: FIM examples whose middle is a line, the rest of a
line or a short span after a prompt shaped like the held-out cases, each whole inside the 512-token window, with the
loss on the middle and its ▁<EOT> (weight 1) and on the prompt (weight PROMPT_WEIGHT, so the model keeps reading code as before). A quarter of each batch
replays windows of the phase-1 stream, against forgetting. 512-token windows as in phase 2: ▁<EOT> is learned
at the positions real prompts reach. Sampled softmax as in train.py; fixed seeds.
Usage: python3 finetune.py WORK_DIR INIT_CKPT STEPS [PEAK_LR]   -> WORK_DIR/ckpt_endings.pt, train_log_endings.tsv"""
import math, os, sys, time
import numpy as np
import torch
import torch.nn.functional as F
sys.path.insert(0, os.path.dirname(__file__))
from model import Shape, TinyCodeLlama, validation_loss

work, init, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
PEAK_LR = float(sys.argv[4]) if len(sys.argv) > 4 else 1.5e-3
SEQ, BATCH, REPLAY, WARMUP, NEGATIVES, PROMPT_WEIGHT = 512, 8, 2, 20, 1024, 0.1
torch.set_num_threads(int(os.environ.get('TRAIN_THREADS', '2')))
torch.manual_seed(0)
rng = np.random.RandomState(3)

endings = np.fromfile(os.path.join(work, 'endings.u16'), dtype=np.uint16).astype(np.int64)
weight = np.fromfile(os.path.join(work, 'endings_weight.u8'), dtype=np.uint8).astype(np.float32)
train = np.fromfile(os.path.join(work, 'train.u16'), dtype=np.uint16).astype(np.int64)
val = np.fromfile(os.path.join(work, 'val.u16'), dtype=np.uint16).astype(np.int64)
assert len(endings) == len(weight)
weight = np.where(weight > 0, 1.0, PROMPT_WEIGHT).astype(np.float32)
ckpt = torch.load(init)
shape = Shape(**ckpt['shape'])
model = TinyCodeLlama(shape)
model.load_state_dict(ckpt['state'])
seen = np.unique(np.concatenate([train, endings]))
unseen = np.setdiff1d(np.arange(shape.vocab_size), seen)
e_starts = np.nonzero(endings[:-SEQ - 1] == 1)[0]
t_starts = np.nonzero(train[:-SEQ - 1] == 1)[0]
val_rng = np.random.RandomState(1)
val_starts = np.nonzero(val[:-SEQ - 1] == 1)[0]
val_batches = [torch.from_numpy(np.stack([val[i:i + SEQ + 1] for i in val_starts[val_rng.randint(0, len(val_starts), BATCH)]]))
               for _ in range(8)]


def val_loss():
    return validation_loss(model, val_batches)


opt = torch.optim.AdamW(model.parameters(), lr=PEAK_LR, betas=(0.9, 0.95), weight_decay=0.01)
remap = torch.full((shape.vocab_size,), -1, dtype=torch.long)
log = open(os.path.join(work, 'train_log_endings.tsv'), 'w')
log.write('step\tminutes\ttokens\ttrain_loss\tval_loss\n')
print(f'endings tokens {len(endings)}, answer share {float((weight == 1).mean()):.3f}, from {init}', flush=True)
t0, ema = time.time(), None
for step in range(1, steps + 1):
    lr = PEAK_LR * min(1.0, step / WARMUP) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / steps)))
    for g in opt.param_groups:
        g['lr'] = lr
    e_at = e_starts[rng.randint(0, len(e_starts), BATCH - REPLAY)]
    t_at = t_starts[rng.randint(0, len(t_starts), REPLAY)]
    x = torch.from_numpy(np.stack([endings[i:i + SEQ + 1] for i in e_at] + [train[i:i + SEQ + 1] for i in t_at]))
    w = torch.from_numpy(np.stack([weight[i + 1:i + SEQ + 1] for i in e_at] + [np.ones(SEQ, np.float32)] * REPLAY))
    vocab = torch.from_numpy(np.concatenate([seen, rng.choice(unseen, NEGATIVES, replace=False)]))
    remap[vocab] = torch.arange(len(vocab))
    h = model.training_hidden(x[:, :-1]).reshape(-1, shape.hidden_size)
    logits = h @ model.embed_t.index_select(1, vocab)
    per_token = F.cross_entropy(logits, remap[x[:, 1:].reshape(-1)], reduction='none')
    remap[vocab] = -1
    flat = w.reshape(-1)
    loss = (per_token * flat).sum() / flat.sum()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    ema = loss.item() if ema is None else 0.95 * ema + 0.05 * loss.item()
    if step % 25 == 0 or step == 1 or step == steps:
        vl = val_loss() if step in (1, steps) else float('nan')
        minutes = (time.time() - t0) / 60
        log.write(f'{step}\t{minutes:.2f}\t{step * BATCH * SEQ}\t{ema:.4f}\t{vl:.4f}\n')
        log.flush()
        print(f'step {step}/{steps} {minutes:.1f} min loss {ema:.3f} val {vl:.3f} lr {lr:.2e}', flush=True)
    if step % 100 == 0 or step == steps:
        torch.save({'shape': shape.to_dict(), 'state': model.state_dict(), 'step': step}, os.path.join(work, 'ckpt_endings.pt'))
log.close()
print('done', steps, 'steps', flush=True)
