"""Recommendation baselines, each as-of T from the interaction log (purchases strictly before T)."""
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import svds

K = 10


def _top(counter, n=200):
    return [p for p, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _fill(ranked, *fallbacks, k=K):
    out, seen = [], set()
    for source in (ranked,) + fallbacks:
        for p in source:
            if p not in seen:
                seen.add(p)
                out.append(p)
                if len(out) >= k:
                    return out
    return out


class AsOfBaselines:
    def __init__(self, interactions: pd.DataFrame, asof: str, seed: int = 42, svd_k: int = 32):
        before = interactions[interactions["purchase"] < asof]
        t = pd.Timestamp(asof)
        recent_from = str(t - pd.Timedelta(days=30))
        state_from = str(t - pd.Timedelta(days=180))
        self.global_top = _top(Counter(before["product_id"]))
        self.recent_top = _top(Counter(before.loc[before["purchase"] >= recent_from, "product_id"]))
        recent_state = before[before["purchase"] >= state_from]
        self.state_top = {s: _top(Counter(g["product_id"])) for s, g in recent_state.groupby("state")}
        self.category_top = {c: _top(Counter(g["product_id"]), 50) for c, g in before.groupby("category")}
        self.top_category = Counter(before["category"]).most_common(1)[0][0]
        self.history = defaultdict(list)  # person -> products, latest first
        for person, g in before.sort_values("purchase", ascending=False).groupby("person_id", sort=False):
            self.history[person] = list(dict.fromkeys(g["product_id"]))
        self.user_category = {}
        for person, g in before.groupby("person_id"):
            self.user_category[person] = Counter(g["category"]).most_common(1)[0][0]
        # item-kNN over persons' co-purchases
        pairs = before[["person_id", "product_id"]].drop_duplicates()
        self.products = sorted(pairs["product_id"].unique())
        self.pidx = {p: i for i, p in enumerate(self.products)}
        persons = sorted(pairs["person_id"].unique())
        self.uidx = {u: i for i, u in enumerate(persons)}
        rows = pairs["person_id"].map(self.uidx).to_numpy()
        cols = pairs["product_id"].map(self.pidx).to_numpy()
        self.X = csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(persons), len(self.products)))
        counts = np.asarray(self.X.sum(axis=0)).ravel()
        self.norm = np.sqrt(np.maximum(counts, 1.0))
        self.XT = self.X.T.tocsr()
        # SVD (matrix factorisation) on the same matrix
        k = min(svd_k, min(self.X.shape) - 1)
        np.random.seed(seed)
        u, s, vt = svds(self.X.astype(np.float64), k=k, v0=np.random.RandomState(seed).rand(min(self.X.shape)))
        self.user_f = u * s
        self.item_f = vt.T

    # ---- recommenders: person, state -> ranked product ids ----
    def global_popularity(self, person, state):
        return self.global_top[:K]

    def recent_popularity(self, person, state):
        return _fill(self.recent_top, self.global_top)

    def state_popularity(self, person, state):
        return _fill(self.state_top.get(state, []), self.global_top)

    def category_popularity(self, person, state):
        category = self.user_category.get(person, self.top_category)
        return _fill(self.category_top.get(category, []), self.category_top.get(self.top_category, []), self.global_top)

    def rebuy(self, person, state):
        category = self.user_category.get(person, self.top_category)
        return _fill(self.history.get(person, []), self.category_top.get(category, []), self.global_top)

    def item_knn(self, person, state):
        past = [self.pidx[p] for p in self.history.get(person, []) if p in self.pidx]
        if not past:
            return self.global_top[:K]
        scores = np.zeros(len(self.products))
        for i in past:
            # co-purchase counts of i with every item: X^T X[:, i]
            buyers = self.XT[i].indices
            co = np.asarray(self.X[buyers].sum(axis=0)).ravel()
            co[i] = 0
            scores += co / (self.norm[i] * self.norm)
        ranked = [self.products[j] for j in np.argsort(-scores)[:K] if scores[j] > 0]
        return _fill(ranked, self.global_top)

    def svd(self, person, state):
        u = self.uidx.get(person)
        if u is None:
            return self.global_top[:K]
        scores = self.item_f @ self.user_f[u]
        ranked = [self.products[j] for j in np.argsort(-scores)[:K]]
        return _fill(ranked, self.global_top)

    NAMES = ["global_popularity", "recent_popularity", "state_popularity", "category_popularity", "rebuy", "item_knn", "svd"]
