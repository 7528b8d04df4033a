#!/usr/bin/env python3
"""K-fold cross-validation of the bot on a training file, with the eval command of the built jar.

A val split of a few questions per intent estimates a balanced test set poorly (BANKING77's val has
3-18 questions per intent, so its mean of per-intent accuracies moves by a point with a handful of
questions). This splits the training file into K folds stratified by intent (the n-th question of an
intent goes to fold n mod K), trains on K-1 folds, picks thresholds on the val file as the eval command
always does, and scores the held-out fold: every training question is scored once, by a model that
never saw it, with (K-1)/K of the training data (a pessimistic estimate for the model trained on all of it).

    python3 bot/cross-validate.py --jar bot/target-botnlp/sodam-bot.jar \\
        --train ../shared/datasets/banking77/train.jsonl --val ../shared/datasets/banking77/val.jsonl [--folds 5]

Prints one line per fold and the means (in-scope accuracy, mean of per-intent accuracies, OOS recall,
overall accuracy; the same fold models' figures on val), as JSON on the last line. Standard library only.
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile


def folds_of(path, k):
    folds = [[] for _ in range(k)]
    seen = collections.Counter()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            intent = json.loads(line)["intent"]
            folds[seen[intent] % k].append(line if line.endswith("\n") else line + "\n")
            seen[intent] += 1
    return folds


def evaluate(jar, heap, train, val, test):
    out = subprocess.run(["java", "-Xmx" + heap, "-jar", jar, "eval", "--train", train, "--val", val, "--test", test],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("eval failed on %s:\n%s" % (test, out.stderr[-2000:]))
    return json.loads(out.stdout.strip().splitlines()[-1])


def mean(values):
    present = [v for v in values if v is not None]
    return round(statistics.mean(present), 2) if present else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jar", required=True)
    parser.add_argument("--train", required=True)
    parser.add_argument("--val", required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--heap", default="6g")
    args = parser.parse_args()
    if args.folds < 2:
        sys.exit("--folds must be at least 2")
    folds = folds_of(args.train, args.folds)
    keys = ["inScopeAccuracy", "perIntentAccuracy", "oosRecall", "overallAccuracy"]
    results = []
    with tempfile.TemporaryDirectory(prefix="sodam-cv-") as work:
        for f in range(args.folds):
            train, test = os.path.join(work, "train.jsonl"), os.path.join(work, "test.jsonl")
            with open(train, "w", encoding="utf-8") as t:
                for g in range(args.folds):
                    if g != f:
                        t.writelines(folds[g])
            with open(test, "w", encoding="utf-8") as t:
                t.writelines(folds[f])
            result = evaluate(args.jar, args.heap, train, args.val, test)
            results.append(result)
            print("fold %d: n %d, %s; val %s; train %.0f s" % (
                f, result["n"], ", ".join("%s %s" % (k, result.get(k)) for k in keys),
                ", ".join("%s %s" % (k, result["val"].get(k)) for k in keys), result["trainMillis"] / 1000),
                flush=True)
    summary = {k: mean([r.get(k) for r in results]) for k in keys}
    summary["min"] = {k: min((r[k] for r in results if r.get(k) is not None), default=None) for k in keys}
    summary["max"] = {k: max((r[k] for r in results if r.get(k) is not None), default=None) for k in keys}
    summary["val"] = {k: mean([r["val"].get(k) for r in results]) for k in keys}
    summary["folds"] = args.folds
    summary["n"] = sum(r["n"] for r in results)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
