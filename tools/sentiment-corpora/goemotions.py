# Writes GoEmotions (Apache-2.0) as label<TAB>text lines for train-sentiment.
# Input: the sentiment-group files (0 ambiguous, 1 negative, 2 neutral, 3 positive; Google's
# goemotions/data/sentiment_dict.json grouping) of a git mirror holding them under data/group/.
# A comment with exactly one group other than "ambiguous" keeps it; the others are dropped.
# Usage: python3 goemotions.py GIT_DIR SPLIT OUT.tsv   (SPLIT: train, dev or test)
import subprocess
import sys

git_dir, split, out_path = sys.argv[1:4]
names = {"1": "negative", "2": "neutral", "3": "positive"}
data = subprocess.run(
    ["git", "--git-dir=" + git_dir, "show", "HEAD:data/group/%s.tsv" % split],
    capture_output=True, check=True).stdout.decode("utf-8")
with open(out_path, "w", encoding="utf-8") as out:
    for line in data.splitlines():
        text, groups, _ = line.split("\t")
        groups = set(groups.split(","))
        if len(groups) == 1 and next(iter(groups)) in names:
            out.write(names[next(iter(groups))] + "\t" + " ".join(text.split()) + "\n")
