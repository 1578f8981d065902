#!/usr/bin/python3
"""Demand forecast: Poisson regressions (log link), one global model over every eligible product
series and one over every category series (one ONNX graph, chosen by f_is_category), trained on the rolling-origin rows of `features forecast-export` (train origins only), its
80 % intervals and the point forecast (the median, in whole orders) calibrated on the validation
origins (quantiles of log((actual+1)/(expected+1)) per kind and horizon), scored once on the test origins against seasonal naive and moving averages.
Exports models/demand_forecast/<version>/{model.onnx,config.json}.

  /usr/bin/python3 training/forecast.py --data data/training --models models [--version 1] [--l2 1e-4]
"""
import argparse
import json
import os
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import torch
from torch import nn

LEVEL = 0.8
KINDS = ("PRODUCT", "CATEGORY")


class PoissonGLM(nn.Module):
    """expected = exp(b + w · (x - mean) / std): normalisation inside the graph, raw features in."""

    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.linear = nn.Linear(len(mean), 1)
        nn.init.zeros_(self.linear.weight)

    def log_rate(self, x):
        return self.linear((x - self.mean) / self.std).squeeze(-1)

    def forward(self, x):
        return torch.exp(self.log_rate(x)).unsqueeze(-1)


class PerKind(nn.Module):
    """The product GLM for rows with f_is_category = 0, the category GLM for rows with 1."""

    def __init__(self, product, category, kind_column):
        super().__init__()
        self.product, self.category, self.kind_column = product, category, kind_column

    def forward(self, x):
        c = x[:, self.kind_column]
        eta = (1 - c) * self.product.log_rate(x) + c * self.category.log_rate(x)
        return torch.exp(eta).unsqueeze(-1)


def fit(model, X, y, l2, iters=200):
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    with torch.no_grad():
        model.linear.bias.fill_(float(np.log(y.mean() + 1e-6)))
    opt = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=iters, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        eta = model.log_rate(Xt)
        loss = (torch.exp(eta) - yt * eta).mean() + l2 * (model.linear.weight ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return float(closure().item())


def metrics(df, forecast, low=None, high=None):
    y = df["actual"].to_numpy(dtype=np.float64)
    f = np.asarray(forecast, dtype=np.float64)
    err = np.abs(y - f)
    pos = y > 0
    den = np.abs(y) + np.abs(f)
    smape = np.where(den == 0, 0.0, 2 * err / np.where(den == 0, 1, den))
    g = pd.DataFrame({"key": df["kind"] + "|" + df["id"] + "|" + df["origin"], "err": err, "scale": df["scale"].to_numpy()})
    per = g.groupby("key").agg(mae=("err", "mean"), scale=("scale", "first"))
    per = per[per.scale > 0]
    out = {
        "points": int(len(y)),
        "mape": float(np.mean(err[pos] / y[pos])) if pos.any() else float("nan"),
        "smape": float(np.mean(smape)),
        "mase": float(np.mean(per.mae / per.scale)),
        "mae": float(np.mean(err)),
    }
    if low is not None:
        out["coverage"] = float(np.mean((low <= y) & (y <= high)))
        out["mean_interval_width"] = float(np.mean(high - low))
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/training")
    ap.add_argument("--models", default="models")
    ap.add_argument("--version", default="1")
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(2)

    manifest = json.load(open(os.path.join(args.data, "forecast-manifest.json")))
    names = [f["name"] for f in manifest["features"]]
    df = pd.read_csv(os.path.join(args.data, "forecast.csv"), dtype={"id": str, "origin": str})
    X = df[names].to_numpy(dtype=np.float32)
    y = df.actual.to_numpy(dtype=np.float32)
    glms = {}
    for kind in KINDS:
        train = ((df.split == "train") & (df.kind == kind)).to_numpy()
        mean = X[train].mean(axis=0)
        std = X[train].std(axis=0)
        std[std < 1e-6] = 1.0
        glms[kind] = PoissonGLM(mean, std)
        loss = fit(glms[kind], X[train], y[train], args.l2)
        print(f"{kind}: train rows {train.sum()}, Poisson loss {loss:.4f}")
    model = PerKind(glms["PRODUCT"], glms["CATEGORY"], names.index("f_is_category"))
    with torch.no_grad():
        expected = model(torch.from_numpy(X)).squeeze(-1).numpy().astype(np.float64)

    # Interval and median: quantiles of log((actual + 1) / (expected + 1)) on validation, per kind and horizon.
    ratio = np.log((df.actual.to_numpy() + 1.0) / (expected + 1.0))
    levels = [(1 - LEVEL) / 2, 0.5, 1 - (1 - LEVEL) / 2]
    quantiles = {}
    for kind in KINDS:
        quantiles[kind] = []
        for h in range(1, manifest["maxHorizon"] + 1):
            sel = ((df.split == "val") & (df.kind == kind) & (df.horizon == h)).to_numpy()
            quantiles[kind].append([round(float(np.quantile(ratio[sel], q)), 6) for q in levels])
    low = np.zeros(len(df))
    median = np.zeros(len(df))
    high = np.zeros(len(df))
    for kind in KINDS:
        for h in range(1, manifest["maxHorizon"] + 1):
            sel = ((df.kind == kind) & (df.horizon == h)).to_numpy()
            qlo, qmid, qhi = quantiles[kind][h - 1]
            low[sel] = np.maximum(0.0, (expected[sel] + 1) * np.exp(qlo) - 1)
            median[sel] = np.round(np.maximum(0.0, (expected[sel] + 1) * np.exp(qmid) - 1))
            high[sel] = (expected[sel] + 1) * np.exp(qhi) - 1

    report = {}
    for split in ("val", "test"):
        report[split] = {}
        for kind in KINDS:
            sel = ((df.split == split) & (df.kind == kind)).to_numpy()
            part = df[sel]
            report[split][kind.lower()] = {
                "series_origins": int(part.groupby(["id", "origin"]).ngroups),
                "model": metrics(part, median[sel], low[sel], high[sel]),
                "model_mean": metrics(part, expected[sel]),
                "seasonal_naive": metrics(part[part.seasonal_naive.notna()], part.seasonal_naive.dropna()),
                "moving_average_4": metrics(part, part.ma4),
                "moving_average_13": metrics(part, part.ma13),
            }
    print(json.dumps(report, indent=1))

    out = os.path.join(args.models, "demand_forecast", args.version)
    os.makedirs(out, exist_ok=True)
    dummy = torch.from_numpy(X[:2])
    torch.onnx.export(model, dummy, os.path.join(out, "model.onnx"), input_names=["features"], output_names=["expected"],
                      dynamic_axes={"features": {0: "batch"}, "expected": {0: "batch"}}, opset_version=13)
    config = {
        "name": "demand_forecast",
        "platform": "onnxruntime_onnx",
        "max_batch_size": 0,
        "input": [{"name": "features", "data_type": "TYPE_FP32", "dims": [-1, len(names)]}],
        "output": [{"name": "expected", "data_type": "TYPE_FP32", "dims": [-1, 1]}],
        "feature_manifest_hash": manifest["hash"],
        "feature_names": names,
        "model": "Poisson regression (log link): one global model over the product series, one over the category series; L2 %g" % args.l2,
        "coefficients_per_raw_unit": {
            kind: {n: round(float(w), 6) for n, w in zip(names, glms[kind].linear.weight.detach().numpy()[0] / glms[kind].std.numpy())} for kind in KINDS
        },
        "interval": {
            "level": LEVEL,
            "method": "validation quantiles (10 %, 50 %, 90 %) of log((actual+1)/(expected+1)), per kind and horizon: "
                      "low = max(0, (expected+1)·e^q10 − 1), median = round(max(0, (expected+1)·e^q50 − 1)), high = (expected+1)·e^q90 − 1",
            "log_ratio_quantiles": quantiles,
        },
        "metrics": report,
        "data_window": {"plan": manifest["plan"], "data_end": manifest["dataEnd"], "max_horizon": manifest["maxHorizon"]},
        "seed": args.seed,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    json.dump(config, open(os.path.join(out, "config.json"), "w"), indent=2)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
