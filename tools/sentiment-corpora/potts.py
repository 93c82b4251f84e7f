# Writes the Potsdam Twitter Sentiment Corpus (PotTS, MIT) as label<TAB>text lines for
# train-sentiment, from annotator 2's MMAX markables: a tweet whose sentiment markables are all
# positive is positive, all negative is negative; a tweet without sentiment markables takes the
# polarity of its emotional expressions (with --emo-expressions) or is neutral; mixed tweets are
# dropped. Usage: python3 potts.py OUT.tsv [--emo-expressions]   (GIT below: a mirror of the repo)
import re, subprocess, sys, html
GIT = ["git", "--git-dir=" + __import__("os").environ.get("POTTS_GIT_DIR", "PotTS/.git")]
def show(p): return subprocess.run(GIT + ["show", "HEAD:" + p], capture_output=True).stdout.decode("utf-8", "replace")
files = [l for l in subprocess.run(GIT + ["ls-tree", "--name-only", "HEAD", "corpus/source/"], capture_output=True, text=True).stdout.split()]
EMO = len(sys.argv) > 2 and sys.argv[2] == "--emo-expressions"
out = open(sys.argv[1], "w", encoding="utf-8")
stats = {}
for f in files:
    name = f.split("/")[-1][:-4]
    words = re.findall(r'<word id="word_(\d+)">(.*?)</word>', show("corpus/basedata/%s.words.xml" % name))
    tweets, cur = [], []
    for wid, w in words:
        if w == "EOL":
            if cur: tweets.append(cur)
            cur = []
        else:
            cur.append((int(wid), html.unescape(html.unescape(w))))
    if cur: tweets.append(cur)
    marks = re.findall(r'span="word_(\d+)(?:\.\.word_(\d+))?"[^>]*polarity="(\w+)"', show("corpus/annotator-2/markables/%s_sentiment_level.xml" % name))
    emo = re.findall(r'span="word_(\d+)(?:\.\.word_(\d+))?"[^>]*polarity="(\w+)"', show("corpus/annotator-2/markables/%s_emo-expression_level.xml" % name))
    for t in tweets:
        start, end = t[0][0], t[-1][0]
        pol = set(p for a, b, p in marks if start <= int(a) <= end)
        if EMO and not pol:
            pol = set(p for a, b, p in emo if start <= int(a) <= end and p in ("positive", "negative"))
        t = [w for _, w in t]
        if pol == {"positive"}: lab = "positive"
        elif pol == {"negative"}: lab = "negative"
        elif not pol: lab = "neutral"
        else: continue
        stats[lab] = stats.get(lab, 0) + 1
        out.write(lab + "\t" + " ".join(t).replace("\t", " ") + "\n")
print(stats, file=sys.stderr)
