#!/usr/bin/python3
"""Issue 18, offline: which candidate source covers returning users' next purchases, per fold.

Straight from the Olist CSVs (no export needed): person = customer_unique_id, folds as-of
delivery.FOLDS, returning user = a purchase before the as-of, targets = their products purchased in
the month from the as-of (the definition of training/evaluate.py and rec_candidates.csv). "current"
re-implements AsOfView.candidates (past products, co-purchase cosine neighbours x30, top-3
categories x10, state/recent/global popularity); "+source xN" inserts N of a source after the
neighbours; "ceiling" rows are the share of targets a source could reach at any list length.

  /usr/bin/python3 training/candidate_sources.py [--data /work/shared/datasets/olist]
"""
import argparse
import sys
import time
from collections import Counter, defaultdict
import numpy as np, pandas as pd
_ap = argparse.ArgumentParser()
_ap.add_argument("--data", default="/work/shared/datasets/olist")
D = _ap.parse_args().data.rstrip("/") + "/"
T0 = time.time()
orders = pd.read_csv(D + "olist_orders_dataset.csv.gz", usecols=["order_id", "customer_id", "order_purchase_timestamp"])
cust = pd.read_csv(D + "olist_customers_dataset.csv.gz", usecols=["customer_id", "customer_unique_id", "customer_state", "customer_city"])
items = pd.read_csv(D + "olist_order_items_dataset.csv.gz", usecols=["order_id", "product_id", "seller_id", "price"])
prods = pd.read_csv(D + "olist_products_dataset.csv.gz", usecols=["product_id", "product_category_name"])
df = items.merge(orders, on="order_id").merge(cust, on="customer_id").merge(prods, on="product_id", how="left")
df = df.rename(columns={"customer_unique_id": "person", "order_purchase_timestamp": "purchase", "customer_state": "state", "product_category_name": "category"})
df["category"] = df["category"].fillna("?")
df["purchase"] = pd.to_datetime(df["purchase"])
FOLDS = ["2018-03-01", "2018-04-01", "2018-05-01", "2018-06-01"]

def top(counter, n=None):
    r = [p for p, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
    return r if n is None else r[:n]

def build(asof):
    t = pd.Timestamp(asof)
    before = df[df["purchase"] < t]
    to = t + pd.DateOffset(months=1)
    window = df[(df["purchase"] >= t) & (df["purchase"] < to)]
    known = set(before["person"])
    targets = {p: set(g["product_id"]) for p, g in window[window["person"].isin(known)].groupby("person")}
    ctx = {}
    ctx["global"] = top(Counter(before["product_id"]), 200)
    ctx["recent"] = top(Counter(before.loc[before["purchase"] >= t - pd.Timedelta(days=30), "product_id"]), 200)
    reg = before[before["purchase"] >= t - pd.Timedelta(days=180)]
    ctx["state"] = {s: top(Counter(g["product_id"]), 200) for s, g in reg.groupby("state")}
    ctx["cat"] = {c: top(Counter(g["product_id"]), 50) for c, g in reg.groupby("category")}
    ctx["cat_full"] = {c: top(Counter(g["product_id"])) for c, g in reg.groupby("category")}
    # recent (90 day) sales per product for ranking seller catalogues
    rec90 = Counter(before.loc[before["purchase"] >= t - pd.Timedelta(days=90), "product_id"])
    allc = Counter(before["product_id"])
    score = {p: rec90.get(p, 0) * 1000 + allc[p] for p in allc}
    ctx["score"] = score
    ctx["seller_products"] = {s: sorted(g["product_id"], key=lambda p: (-score[p], p)) for s, g in before.groupby("seller_id")}
    ctx["seller_cat_products"] = {k: sorted(set(g["product_id"]), key=lambda p: (-score[p], p)) for k, g in before.groupby(["seller_id", "category"])}
    # co-purchase
    pairs = before[["person", "product_id"]].drop_duplicates()
    buyers = Counter(pairs["product_id"])
    co = defaultdict(Counter)
    for person, g in pairs.groupby("person"):
        ps = list(g["product_id"])
        if 2 <= len(ps) <= 50:
            for a in ps:
                for b in ps:
                    if a != b: co[a][b] += 1
    def neigh(p, n):
        row = co.get(p)
        if not row: return []
        s = sorted(((b, c / np.sqrt(buyers[p] * buyers[b])) for b, c in row.items()), key=lambda x: (-x[1], x[0]))
        return s[:n]
    ctx["neigh"] = neigh
    hist = {}
    for person, g in before.sort_values("purchase", ascending=False).groupby("person", sort=False):
        hist[person] = g
    ctx["hist"] = hist
    ctx["sold"] = set(allc)
    for days in (30, 90):
        ctx[f"recent{days}_all"] = top(Counter(before.loc[before["purchase"] >= t - pd.Timedelta(days=days), "product_id"]))
    return targets, ctx

def current(person, ctx, limit=100, extra=None):
    g = ctx["hist"][person]
    out = []; seen = set()
    def add(ids, cap=10**9):
        n = 0
        for i in ids:
            if len(out) >= limit or n >= cap: return
            if i not in seen: seen.add(i); out.append(i); n += 1
    past = list(dict.fromkeys(g["product_id"]))
    add(past)
    ns = Counter()
    for p in past:
        for b, s in ctx["neigh"](p, 20): ns[b] += s
    add(top(ns, 30), 30)
    if extra is not None:
        src, cap = extra
        add(src(person, ctx, g), cap)
    cats = [c for c, _ in sorted(Counter(g["category"]).items(), key=lambda kv: -kv[1])[:3]]
    for c in cats: add(ctx["cat"].get(c, []), 10)
    st = g["state"].iloc[0]
    half = max(10, limit // 3)
    add(ctx["state"].get(st, []), half); add(ctx["recent"], half); add(ctx["global"]); add(ctx["recent"]); add(ctx["state"].get(st, []))
    return out

def seller_src(person, ctx, g):
    sellers = list(dict.fromkeys(g["seller_id"]))
    lists = [ctx["seller_products"].get(s, []) for s in sellers]
    return interleave(lists)

def seller_cat_src(person, ctx, g):
    keys = list(dict.fromkeys(zip(g["seller_id"], g["category"])))
    return interleave([ctx["seller_cat_products"].get(k, []) for k in keys])

def cat_src(person, ctx, g):
    cats = list(dict.fromkeys(g["category"]))
    return interleave([ctx["cat_full"].get(c, []) for c in cats])

def hop2_src(person, ctx, g):
    past = list(dict.fromkeys(g["product_id"]))
    ns = Counter()
    for p in past:
        for b, s in ctx["neigh"](p, 20):
            ns[b] += s
            for c, s2 in ctx["neigh"](b, 20): ns[c] += s * s2
    return [x for x in top(ns) if x not in set(past)]

def state_src(person, ctx, g):
    return ctx["state"].get(g["state"].iloc[0], [])

def interleave(lists):
    out = []
    its = [iter(l) for l in lists]
    while its:
        nxt = []
        for it in its:
            v = next(it, None)
            if v is not None: out.append(v); nxt.append(it)
        its = nxt
    return out

def combined(person, ctx, limit):
    """current, with seller&category x30 then seller x20 after the neighbours (the best mix tried)."""
    return current(person, ctx, limit, (lambda p, c, h: seller_cat_src(p, c, h)[:30] + seller_src(p, c, h)[:20], 50))


def recall(cands, tg):
    return len(set(cands) & tg) / len(tg)

results = defaultdict(dict)
for asof in FOLDS:
    targets, ctx = build(asof)
    persons = sorted(targets)
    r = defaultdict(list)
    for p in persons:
        tg = targets[p]
        g = ctx["hist"][p]
        r["n"].append(1)
        r["ceiling: target sold before as-of"].append(recall(ctx["sold"], tg))
        r["ceiling: re-buy (own past)"].append(recall(set(g["product_id"]), tg))
        ss = seller_src(p, ctx, g); r["ceiling: any product of own sellers"].append(recall(ss, tg))
        r["ceiling: any product of own categories"].append(recall(cat_src(p, ctx, g), tg))
        for lim in (100, 500):
            r[f"current@{lim}"].append(recall(current(p, ctx, lim), tg))
        r["current@100 hit"].append(recall(current(p, ctx, 100), tg) > 0)
        for name, src in (("seller", seller_src), ("seller&cat", seller_cat_src), ("category(all own)", cat_src), ("2-hop co-purchase", hop2_src), ("state trending", state_src)):
            for cap in (20, 50):
                r[f"+{name} x{cap}@100"].append(recall(current(p, ctx, 100, (src, cap)), tg))
            r[f"{name} alone@100"].append(recall(([*dict.fromkeys(list(g['product_id']) + src(p, ctx, g))])[:100], tg))
        for days in (30, 90):
            for k in (500, 2000):
                r[f"ceiling: non-rebuy targets in recent{days} top{k}"].append(len(set(ctx[f"recent{days}_all"][:k]) & tg - set(g["product_id"])) / len(tg))
        for lim in (100, 500):
            r[f"combined (+seller&cat x30, +seller x20)@{lim}"].append(recall(combined(p, ctx, lim), tg))
    for k, v in r.items():
        results[k][asof] = len(v) if k == "n" else float(np.mean(v))
    print(asof, f"{time.time()-T0:.0f}s", len(persons), file=sys.stderr, flush=True)
tab = pd.DataFrame(results).T
tab["mean"] = tab.mean(axis=1)
pd.set_option("display.width", 200)
print(tab.round(3).to_string())
