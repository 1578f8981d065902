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


class WideDeepRisk(FusionMLP):
    """FusionMLP plus a linear (wide) term on the same inputs and three engineered inputs computed in
    the graph from raw features: promised days minus the route's mean delivery days, that margin minus
    the seller's handling days, and log(promised / (route days + handling days)). The engineered terms
    give the promised-days-vs-expected-time signal a direct, linear path to the logit."""

    def __init__(self, manifest_features, hidden=(64, 32), emb_dim=4, dropout=0.1, wide=True):
        super().__init__(manifest_features, hidden=hidden, emb_dim=emb_dim, dropout=dropout)
        by_name = {f["name"]: f["index"] for f in manifest_features}
        self.i_est, self.i_route, self.i_handling = by_name["d_est_days"], by_name["d_route_days"], by_name["d_seller_handling_days"]
        num = sum(1 for f in manifest_features if f["kind"] == "numeric")
        width = num + emb_dim * len(self.cards) + 3
        layers, w = [], width
        for h in hidden:
            layers += [nn.Linear(w, h), nn.ReLU(), nn.Dropout(dropout)]
            w = h
        self.mlp = nn.Sequential(*layers, nn.Linear(w, 1)) if hidden else None
        self.wide = nn.Linear(width, 1) if wide or not hidden else None

    def inputs(self, x):
        xn = torch.clamp((torch.index_select(x, 1, self.num_idx) - self.mean) / self.std, -8.0, 8.0)
        parts = [xn]
        for j, emb in enumerate(self.embs):
            code = torch.clamp(torch.index_select(x, 1, self.cat_idx[j : j + 1]).squeeze(1), 0, self.cards[j] - 1).to(torch.long)
            parts.append(emb(code))
        est, route, handling = x[:, self.i_est], x[:, self.i_route], x[:, self.i_handling]
        margin = est - route
        ratio = torch.log(torch.clamp(est, min=1.0) / torch.clamp(route + handling, min=1.0))
        parts.append(torch.stack([margin / 8.0, (margin - handling) / 8.0, ratio], dim=1))
        return torch.cat(parts, dim=1)

    def logits(self, x):
        h = self.inputs(x)
        out = 0.0
        if self.wide is not None:
            out = out + self.wide(h)
        if self.mlp is not None:
            out = out + self.mlp(h)
        return out.squeeze(1)


class LogitAverage(nn.Module):
    """Ensemble: mean of the members' logits, then sigmoid. One ONNX graph, same input/output contract."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    def logits(self, x):
        return torch.stack([m.logits(x) for m in self.members], dim=0).mean(dim=0)

    def forward(self, x):
        return torch.sigmoid(self.logits(x)).unsqueeze(1)
