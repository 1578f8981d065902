"""Metrics in numpy: ROC-AUC, PR-AUC (average precision), Brier; HitRate/Recall/NDCG@k."""
import numpy as np


def roc_auc(y, p):
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sp = p[order]
    i = 0
    r = np.arange(1, len(p) + 1, dtype=np.float64)
    # average ranks over ties
    while i < len(sp):
        j = i
        while j + 1 < len(sp) and sp[j + 1] == sp[i]:
            j += 1
        ranks[order[i:j + 1]] = r[i:j + 1].mean()
        i = j + 1
    npos = y.sum()
    nneg = len(y) - npos
    if npos == 0 or nneg == 0:
        return float("nan")
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


def pr_auc(y, p):
    """Average precision (area under the precision-recall curve, step-wise)."""
    y = np.asarray(y, dtype=np.float64)
    order = np.argsort(-np.asarray(p, dtype=np.float64), kind="mergesort")
    ys = y[order]
    tp = np.cumsum(ys)
    precision = tp / np.arange(1, len(ys) + 1)
    npos = ys.sum()
    return float((precision * ys).sum() / npos) if npos else float("nan")


def brier(y, p):
    return float(np.mean((np.asarray(p, dtype=np.float64) - np.asarray(y, dtype=np.float64)) ** 2))


def ranking_metrics(recommended, targets, k=10):
    """recommended: list of ranked id lists; targets: list of sets. Returns HitRate@k, Recall@k, NDCG@k."""
    hits, recalls, ndcgs = [], [], []
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    for rec, tgt in zip(recommended, targets):
        top = rec[:k]
        rel = np.array([1.0 if r in tgt else 0.0 for r in top] + [0.0] * (k - len(top)))
        n_hit = rel.sum()
        hits.append(1.0 if n_hit > 0 else 0.0)
        recalls.append(n_hit / len(tgt))
        idcg = discounts[: min(len(tgt), k)].sum()
        ndcgs.append(float((rel * discounts).sum() / idcg))
    return {
        "hit_rate@10": float(np.mean(hits)) if hits else float("nan"),
        "recall@10": float(np.mean(recalls)) if recalls else float("nan"),
        "ndcg@10": float(np.mean(ndcgs)) if ndcgs else float("nan"),
        "users": len(hits),
    }
