# Writes VADER's human-rated tweets (Hutto & Gilbert 2014, MIT licence of github.com/cjhutto/
# vaderSentiment) as label<TAB>text lines: an English tweet set for choosing training settings
# (never trained on by the shipped model). With a fourth argument, another of its rated files
# instead: amazonReviewSnippets, movieReviewSnippets or nytEditorialSnippets. The mean rating in [-4, 4] gives the label:
# >= 1 positive, <= -1 negative, |x| <= 0.25 neutral; the unclear ratings between are dropped.
# Usage: python3 vader_tweets.py GIT_DIR COMMIT OUT.tsv [NAME]
import subprocess
import sys

git_dir, commit, out_path = sys.argv[1:4]
name = sys.argv[4] if len(sys.argv) > 4 else "tweets"
path = "additional_resources/hutto_ICWSM_2014/%s_GroundTruth.txt" % name
data = subprocess.run(
    ["git", "--git-dir=" + git_dir, "show", "%s:%s" % (commit, path)],
    capture_output=True, check=True).stdout.decode("utf-8")
with open(out_path, "w", encoding="utf-8") as out:
    for line in data.splitlines():
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        x = float(parts[1])
        label = ("positive" if x >= 1 else "negative" if x <= -1
                 else "neutral" if abs(x) <= 0.25 else None)
        if label:
            text = " ".join("\t".join(parts[2:]).replace("\t", " ").split())
            out.write(label + "\t" + text + "\n")
