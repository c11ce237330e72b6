"""A Llama-architecture decoder (RMSNorm, rotary embeddings, SwiGLU, grouped-query attention, tied embeddings), small
enough to train on a laptop CPU, with the forward pass that Hugging Face ONNX decoder exports have:

  inputs : input_ids [b, s] int64, attention_mask [b, past + s] int64, position_ids [b, s] int64,
           past_key_values.{i}.key / .value [b, kv_heads, past, head_dim] float32
  outputs: logits [b, s, vocab], present.{i}.key / .value [b, kv_heads, past + s, head_dim]

Written for Debian's python3-torch 1.13 (TorchScript-based torch.onnx.export); recipe.py also trains it with PyTorch 2
on a GPU."""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Shape:
    vocab_size: int = 32016
    hidden_size: int = 128
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    intermediate_size: int = 384
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5
    max_position_embeddings: int = 4096

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_attention_heads

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class DecoderLayer(nn.Module):
    def __init__(self, shape: Shape):
        super().__init__()
        self.shape = shape
        d, hd = shape.hidden_size, shape.head_dim
        self.input_layernorm = RMSNorm(d, shape.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(d, shape.rms_norm_eps)
        self.q_proj = nn.Linear(d, shape.num_attention_heads * hd, bias=False)
        self.k_proj = nn.Linear(d, shape.num_key_value_heads * hd, bias=False)
        self.v_proj = nn.Linear(d, shape.num_key_value_heads * hd, bias=False)
        self.o_proj = nn.Linear(shape.num_attention_heads * hd, d, bias=False)
        self.gate_proj = nn.Linear(d, shape.intermediate_size, bias=False)
        self.up_proj = nn.Linear(d, shape.intermediate_size, bias=False)
        self.down_proj = nn.Linear(shape.intermediate_size, d, bias=False)

    def forward(self, x, cos, sin, allowed, past_k=None, past_v=None):
        s = self.shape
        b, hd = x.size(0), s.head_dim
        groups = s.num_attention_heads // s.num_key_value_heads
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, -1, s.num_attention_heads, hd).transpose(1, 2)
        k = self.k_proj(h).view(b, -1, s.num_key_value_heads, hd).transpose(1, 2)
        v = self.v_proj(h).view(b, -1, s.num_key_value_heads, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        present = (k, v)
        if groups > 1:  # grouped-query attention: each key/value head serves `groups` query heads
            k = k.unsqueeze(2).expand(-1, -1, groups, -1, -1).reshape(b, s.num_attention_heads, -1, hd)
            v = v.unsqueeze(2).expand(-1, -1, groups, -1, -1).reshape(b, s.num_attention_heads, -1, hd)
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(hd))
        scores = scores.masked_fill(~allowed, -1e9)  # finite, so fully padded rows give no NaN
        attn = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, -1, s.num_attention_heads * hd)
        x = x + self.o_proj(attn)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h)), present


class TinyCodeLlama(nn.Module):
    def __init__(self, shape: Shape):
        super().__init__()
        self.shape = shape
        # Tied input/output embedding, stored [hidden, vocab] so the LM head is a plain MatMul in the exported graph.
        self.embed_t = nn.Parameter(torch.randn(shape.hidden_size, shape.vocab_size) * 0.02)
        self.layers = nn.ModuleList([DecoderLayer(shape) for _ in range(shape.num_hidden_layers)])
        self.norm = RMSNorm(shape.hidden_size, shape.rms_norm_eps)
        inv_freq = 1.0 / (shape.rope_theta ** (torch.arange(0, shape.head_dim, 2).float() / shape.head_dim))
        self.register_buffer('inv_freq', inv_freq, persistent=False)
        for name, p in self.named_parameters():
            if name.endswith(('o_proj.weight', 'down_proj.weight')):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * shape.num_hidden_layers))
            elif p.dim() == 2 and name != 'embed_t':
                nn.init.normal_(p, std=0.02)

    def hidden(self, input_ids, attention_mask, position_ids, pasts):
        b = input_ids.size(0)
        x = torch.index_select(self.embed_t, 1, input_ids.reshape(-1)).t().reshape(b, -1, self.shape.hidden_size)
        freqs = position_ids.unsqueeze(-1).float() * self.inv_freq
        angles = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)
        cos, sin = angles.cos(), angles.sin()
        seq = input_ids.size(1)
        past_len = pasts[0].size(2) if pasts else 0
        q_pos = torch.arange(seq, device=input_ids.device) + past_len
        k_pos = torch.arange(attention_mask.size(1), device=input_ids.device)
        allowed = (k_pos.unsqueeze(0) <= q_pos.unsqueeze(1)).unsqueeze(0).unsqueeze(0) \
            & attention_mask.bool().unsqueeze(1).unsqueeze(2)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = (pasts[2 * i], pasts[2 * i + 1]) if pasts else (None, None)
            x, present = layer(x, cos, sin, allowed, pk, pv)
            presents += list(present)
        return self.norm(x), presents

    def forward_with_cache(self, input_ids, attention_mask, position_ids, pasts):
        h, presents = self.hidden(input_ids, attention_mask, position_ids, pasts)
        return torch.matmul(h, self.embed_t), presents

    def training_hidden(self, ids):
        b, s = ids.shape
        pos = torch.arange(s, device=ids.device).unsqueeze(0).expand(b, s)
        return self.hidden(ids, torch.ones(b, s, dtype=torch.long, device=ids.device), pos, [])[0]


class OnnxDecoder(nn.Module):
    """The export signature: (input_ids, attention_mask, position_ids, *past) -> (logits, *present)."""

    def __init__(self, model: TinyCodeLlama):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *pasts):
        logits, presents = self.model.forward_with_cache(input_ids, attention_mask, position_ids, list(pasts))
        return (logits, *presents)


def validation_loss(model: TinyCodeLlama, batches) -> float:
    """Next-token loss over the full vocabulary on held-out windows (train.py and finetune.py both report it)."""
    model.eval()
    with torch.no_grad():
        losses = [F.cross_entropy((model.training_hidden(x[:, :-1]) @ model.embed_t).reshape(-1, model.shape.vocab_size),
                                  x[:, 1:].reshape(-1)).item() for x in batches]
    model.train()
    return sum(losses) / len(losses)
