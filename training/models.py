"""PyTorch models. Input: one float32 matrix [batch, features] in manifest order; normalisation
(mean/std from the feature manifest) and categorical embeddings live inside the graph."""
import torch
from torch import nn


class FusionMLP(nn.Module):
    def __init__(self, manifest_features, hidden=(64, 32), emb_dim=4, dropout=0.1):
        super().__init__()
        num = [f for f in manifest_features if f["kind"] == "numeric"]
        cat = [f for f in manifest_features if f["kind"] == "categorical"]
        self.register_buffer("num_idx", torch.tensor([f["index"] for f in num], dtype=torch.long))
        self.register_buffer("cat_idx", torch.tensor([f["index"] for f in cat], dtype=torch.long))
        self.register_buffer("mean", torch.tensor([f["mean"] for f in num], dtype=torch.float32))
        self.register_buffer("std", torch.tensor([f["std"] for f in num], dtype=torch.float32))
        self.cards = [int(f["cardinality"]) for f in cat]
        self.embs = nn.ModuleList([nn.Embedding(c, emb_dim) for c in self.cards])
        width = len(num) + emb_dim * len(cat)
        layers = []
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        layers.append(nn.Linear(width, 1))
        self.mlp = nn.Sequential(*layers)

    def logits(self, x):
        xn = (torch.index_select(x, 1, self.num_idx) - self.mean) / self.std
        xn = torch.clamp(xn, -8.0, 8.0)
        parts = [xn]
        for j, emb in enumerate(self.embs):
            code = torch.index_select(x, 1, self.cat_idx[j : j + 1]).squeeze(1)
            code = torch.clamp(code, 0, self.cards[j] - 1).to(torch.long)
            parts.append(emb(code))
        return self.mlp(torch.cat(parts, dim=1)).squeeze(1)

    def forward(self, x):
        return torch.sigmoid(self.logits(x)).unsqueeze(1)
