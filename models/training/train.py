#!/usr/bin/python3
"""Train UrbanScore's small city / not-city CNN and export it as a Custom Vision style ONNX model.

Input: one or more dataset folders with one sub-folder per class, as written by `urbanscore collect`
(city/ and not-city/), or any image-classification folder tree mapped onto the two labels with --class-map
(e.g. UC Merced: --class-map "city=denseresidential,mediumresidential,buildings;not-city=agricultural,forest,beach").

Output (the layout `urbanscore score` and Azure Custom Vision "ONNX" exports use):
  * MODEL.onnx: input `data` float32 [N,3,224,224], BGR, 0-255 (the network normalises itself), dynamic batch;
    output `model_output` float32 [N,2] softmax probabilities in labels.txt order; opset 13; metadata
    Image.BitmapPixelFormat=Bgr8 and Image.NominalPixelRange=NominalRange_0_255.
  * labels.txt beside it (city, not-city), and MODEL.metrics.json with the held-out accuracy and ROC-AUC.

Debian 12: apt-get install -y python3-torch python3-onnx python3-numpy python3-pil ; run with /usr/bin/python3.
Deterministic for a given --seed, data and thread count.
"""
import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

SIZE = 224
LABELS = ["city", "not-city"]
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp"}


def parse_class_map(text):
    """'city=a,b;not-city=c' -> {'a': 'city', 'b': 'city', 'c': 'not-city'}; None -> identity on LABELS."""
    if not text:
        return {label: label for label in LABELS}
    mapping = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        label, _, folders = part.partition("=")
        label = label.strip()
        if label not in LABELS:
            sys.exit(f"error: --class-map label '{label}' is not one of {LABELS}.")
        for folder in folders.split(","):
            if folder.strip():
                mapping[folder.strip()] = label
    return mapping


def list_images(folders, class_map):
    items = []
    for root in folders:
        if not os.path.isdir(root):
            sys.exit(f"error: dataset folder '{root}' does not exist.")
        for sub in sorted(os.listdir(root)):
            label = class_map.get(sub)
            path = os.path.join(root, sub)
            if label is None or not os.path.isdir(path):
                continue
            for name in sorted(os.listdir(path)):
                if os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS:
                    items.append((os.path.join(path, name), LABELS.index(label)))
    counts = [sum(1 for _, y in items if y == i) for i in range(len(LABELS))]
    if min(counts) == 0:
        sys.exit(f"error: need images of both labels, found {dict(zip(LABELS, counts))}; check the folders or --class-map.")
    return items, counts


def load_bgr(path):
    """Like UrbanScore's TilePreprocessor: centre square crop, bilinear resize to 224, BGR planes 0-255 (uint8 here)."""
    with Image.open(path) as image:
        image = image.convert("RGB")
        w, h = image.size
        side = min(w, h)
        left, top = (w - side) // 2, (h - side) // 2
        image = image.crop((left, top, left + side, top + side)).resize((SIZE, SIZE), Image.BILINEAR)
        rgb = np.asarray(image, dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1].transpose(2, 0, 1))  # HWC RGB -> CHW BGR


def pool2(chw):
    """2x2 average, as F.avg_pool2d(x, 2) in the exported graph, kept as float32."""
    c, h, w = chw.shape
    return chw.reshape(c, h // 2, 2, w // 2, 2).astype(np.float32).mean(axis=(2, 4))


def separable(cin, cout, stride):
    """MobileNet v1 block: 3x3 depthwise + 1x1 pointwise, each with batch norm and ReLU6."""
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin), nn.ReLU6(inplace=True),
        nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU6(inplace=True))


class UrbanNet(nn.Module):
    """A small MobileNet-style CNN taking BGR 0-255 at 224x224 and returning logits.

    The 224x224 input is first averaged 2x2 down to 112x112 (tiles at zoom 14-15 are ~5-10 m per pixel; urban
    fabric is still plain at 10-20 m), which keeps the network at ~0.012 GFLOP per tile, so that training on two
    shared CPU cores takes minutes and scoring is cheap. `body` is everything after that pooling, so training can
    pool the data once."""

    def __init__(self, width=1.0):
        super().__init__()
        c = [max(8, int(v * width)) for v in (24, 32, 64, 96, 128, 192)]
        self.features = nn.Sequential(
            nn.Conv2d(3, c[0], 3, 2, 1, bias=False), nn.BatchNorm2d(c[0]), nn.ReLU6(inplace=True),  # 56
            separable(c[0], c[1], 1),
            separable(c[1], c[2], 2),  # 28
            separable(c[2], c[2], 1),
            separable(c[2], c[3], 2),  # 14
            separable(c[3], c[4], 1),
            separable(c[4], c[5], 2),  # 7
        )
        self.dropout = nn.Dropout(0.2)
        self.classifier = nn.Linear(c[5], len(LABELS))

    def forward(self, bgr):
        return self.body(F.avg_pool2d(bgr, 2))

    def body(self, bgr112):
        x = bgr112 * (1.0 / 127.5) - 1.0  # the network normalises its own 0-255 input to -1..1
        x = self.features(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(self.dropout(x))


class Exported(nn.Module):
    """The exported graph: probabilities, as Custom Vision's `model_output`."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, data):
        return torch.softmax(self.net(data), dim=1)


def augment(batch, generator):
    """Top-down imagery has no 'up': random flips, 90 degree turns, and a mild brightness/contrast jitter."""
    if torch.rand(1, generator=generator).item() < 0.5:
        batch = batch.flip(3)
    batch = torch.rot90(batch, int(torch.randint(0, 4, (1,), generator=generator).item()), (2, 3))
    n = batch.shape[0]
    gain = 1 + (torch.rand(n, 1, 1, 1, generator=generator) - 0.5) * 0.3
    bias = (torch.rand(n, 1, 1, 1, generator=generator) - 0.5) * 30
    return (batch * gain + bias).clamp(0, 255)


def roc_auc(scores, labels):
    """ROC-AUC of scores for labels==1 (Mann-Whitney U with tied ranks averaged)."""
    scores, labels = np.asarray(scores, np.float64), np.asarray(labels)
    pos, neg = labels.sum(), len(labels) - labels.sum()
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[labels == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def predict(net, x, batch_size=128):
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            out.append(torch.softmax(net.body(torch.from_numpy(x[i:i + batch_size]).float()), 1)[:, 0].numpy())
    return np.concatenate(out)


def export(net, path):
    import onnx
    net.eval()
    model = Exported(net)
    dummy = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(model, dummy, path, input_names=["data"], output_names=["model_output"],
                      dynamic_axes={"data": {0: "batch"}, "model_output": {0: "batch"}},
                      opset_version=13, do_constant_folding=True)
    proto = onnx.load(path)
    for key, value in (("Image.BitmapPixelFormat", "Bgr8"), ("Image.NominalPixelRange", "NominalRange_0_255"),
                       ("Image.ColorSpaceGamma", "SRGB"), ("producer", "UrbanScore models/training/train.py")):
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "urbanscore-train"
    onnx.checker.check_model(proto)
    onnx.save(proto, path)
    with open(os.path.join(os.path.dirname(os.path.abspath(path)), "labels.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(LABELS) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="+", help="dataset folder(s) with one sub-folder per class")
    parser.add_argument("--out", required=True, help="ONNX file to write; labels.txt is written beside it")
    parser.add_argument("--class-map", help="map folders to labels: 'city=a,b;not-city=c,d' (default: folders city and not-city)")
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--width", type=float, default=1.0, help="channel width multiplier")
    parser.add_argument("--val-fraction", type=float, default=0.2, help="held-out share of each label")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    started = time.time()
    items, counts = list_images(args.data, parse_class_map(args.class_map))
    print(f"images: {len(items)} ({', '.join(f'{l} {c}' for l, c in zip(LABELS, counts))})", flush=True)

    # Stratified held-out split, seeded.
    rng = np.random.RandomState(args.seed)
    train_idx, val_idx = [], []
    for label in range(len(LABELS)):
        idx = [i for i, (_, y) in enumerate(items) if y == label]
        rng.shuffle(idx)
        cut = int(round(len(idx) * args.val_fraction))
        val_idx += idx[:cut]
        train_idx += idx[cut:]
    # Training and evaluation run on the 2x2-averaged 112x112 images the exported graph computes first (flips,
    # quarter turns and brightness jitter commute with that pooling, so the result is the same, 4x cheaper).
    x = np.stack([pool2(load_bgr(p)) for p, _ in items])
    y = np.array([lab for _, lab in items], dtype=np.int64)
    print(f"decoded in {time.time() - started:.0f} s; train {len(train_idx)}, held out {len(val_idx)}", flush=True)

    net = UrbanNet(args.width)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * ((len(train_idx) + args.batch_size - 1) // args.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.15)
    generator = torch.Generator().manual_seed(args.seed)
    train_idx = np.array(train_idx)
    val_idx = np.array(val_idx)
    train_start = time.time()
    for epoch in range(args.epochs):
        net.train()
        order = train_idx[torch.randperm(len(train_idx), generator=generator).numpy()]
        total, loss_sum = 0, 0.0
        for i in range(0, len(order), args.batch_size):
            batch = order[i:i + args.batch_size]
            xb = augment(torch.from_numpy(x[batch]).float(), generator)
            loss = F.cross_entropy(net.body(xb), torch.from_numpy(y[batch]), label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += len(batch)
            loss_sum += loss.item() * len(batch)
        p = predict(net, x[val_idx])
        truth = (y[val_idx] == 0).astype(np.int64)
        acc = float(((p >= 0.5) == truth).mean())
        print(f"epoch {epoch + 1}/{args.epochs}: loss {loss_sum / total:.4f}, held-out accuracy {acc:.4f}, "
              f"ROC-AUC {roc_auc(p, truth):.4f} ({time.time() - train_start:.0f} s)", flush=True)

    p = predict(net, x[val_idx])
    truth = (y[val_idx] == 0).astype(np.int64)
    metrics = {
        "images": len(items), "train": int(len(train_idx)), "held_out": int(len(val_idx)),
        "counts": dict(zip(LABELS, counts)),
        "held_out_accuracy": round(float(((p >= 0.5) == truth).mean()), 4),
        "held_out_roc_auc": round(roc_auc(p, truth), 4),
        "epochs": args.epochs, "seed": args.seed, "threads": args.threads,
        "train_seconds": round(time.time() - train_start, 1),
        "parameters": int(sum(t.numel() for t in net.parameters())),
    }
    export(net, args.out)
    metrics["onnx_bytes"] = os.path.getsize(args.out)
    with open(os.path.splitext(args.out)[0] + ".metrics.json", "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print(json.dumps(metrics), flush=True)


if __name__ == "__main__":
    main()
