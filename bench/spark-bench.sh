#!/usr/bin/env bash
# Issue 17: the cost of running Intact's checksums as Apache Spark jobs, against the CLI, in the
# same run on the same machine:
#  1. blkhash of one image split over local[2] (spark-submit of target/intact-spark.jar) vs
#     `intact sum` of it (target: Spark <= 1.3x the CLI's time);
#  2. `verify` of FILES recorded files over local[2] vs `intact scrub` of the same tree.
#  3. the floor: the same spark-submit of `sum` of an empty file (JVM + SparkContext + one job).
# Prints each ratio of mean wall times and of CPU times (user+sys, hyperfine's columns), which a
# loaded machine distorts less.
#
#   bench/spark-bench.sh [DIR] [RUNS]
#   SIZE=4G FILES=10000 bench/spark-bench.sh      (the issue's sizes, the defaults; RUNS=2)
#
# At the defaults it takes about 4 minutes on a quiet 2-core machine, the first run (making the
# image, the tree and its records) included.
#
# Files are page-cached (each command runs once before timing): this compares CPU paths, not disks.
# Spark's jars come from the Maven build (intact-spark/target/spark-classpath.txt): run
# `./mvnw -pl intact-spark -am package -DskipTests` first. Needs: hyperfine, python3, attr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-spark-bench}
runs=${2:-2}
size=${SIZE:-4G}
files=${FILES:-10000}
for tool in hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "spark-bench: $tool is missing (apt-get install hyperfine python3)" >&2; exit 1; }
done
jar=$root/intact-spark/target/intact-spark.jar
cp_file=$root/intact-spark/target/spark-classpath.txt
[[ -s $jar && -s $cp_file ]] || { echo "spark-bench: build first: ./mvnw -pl intact-spark -am package -DskipTests" >&2; exit 1; }
# shellcheck source=../bin/lib/jdk.sh
source "$root/bin/lib/jdk.sh"
intact_find_jdk
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
intact=${INTACT:-$root/bin/intact}
"$intact" --version >/dev/null   # builds the command outside the timings

# The options Spark's own launcher adds (org.apache.spark.launcher.JavaModuleOptions).
opts=$(sed -n 's:.*<spark.module.options>\(.*\)</spark.module.options>.*:\1:p' "$root/intact-spark/pom.xml")
submit() {
  # shellcheck disable=SC2086
  "$java" $opts -Xmx2g -cp "$(cat "$cp_file")" org.apache.spark.deploy.SparkSubmit \
    --master 'local[2]' --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 \
    --class dev.intact.spark.IntactSpark "$jar" "$@" 2>/dev/null
}
export -f submit; export java opts cp_file jar

mkdir -p "$dir"
image=$dir/image.raw
if [[ ! -s $image ]]; then
  head -c "$size" /dev/urandom >"$image"
fi
tree=$dir/tree
if [[ ! -d $tree ]]; then
  python3 - "$tree" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(17)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(os.urandom(rnd.randint(4096, 256 * 1024)))
PY
  "$intact" record -a adler32,sha256 --quiet "$tree" >/dev/null
fi

# Same values first: a benchmark of a wrong answer is worth nothing.
a=$("$intact" sum "$image" | cut -d' ' -f1)
b=$(submit sum "$image" | cut -d' ' -f1)
[[ $a == "$b" ]] || { echo "spark-bench: values differ: intact $a, spark $b" >&2; exit 1; }
echo "blkhash $a (CLI and Spark agree)"
# Both verifies exit non-zero unless every file is OK, and hyperfine stops at a non-zero exit:
# the timed runs are the check (a separate one would cost a minute at 10,000 files).
: >"$dir/empty.raw"

echo "== 1. blkhash of a $size image: spark local[2] vs intact sum"
hyperfine --shell=bash --warmup 1 --runs "$runs" --export-json "$dir/sum.json" \
  -n "intact sum" "$intact sum $image" \
  -n "spark local[2]" "submit sum --split-size 256M $image"
echo "== 2. verify of $files recorded files: spark local[2] vs intact scrub"
hyperfine --shell=bash --warmup 1 --runs "$runs" --export-json "$dir/verify.json" \
  -n "intact scrub" "$intact scrub $tree" \
  -n "spark local[2]" "submit verify --quiet $tree"
echo "== 3. floor: spark local[2] sum of an empty file (engine start-up, no data)"
hyperfine --shell=bash --warmup 1 --runs "$runs" --export-json "$dir/floor.json" \
  -n "spark local[2] empty" "submit sum $dir/empty.raw"
python3 - "$dir/sum.json" "$dir/verify.json" "$dir/floor.json" <<'PY'
import json, sys
def load(path):
    return {x["command"]: x for x in json.load(open(path))["results"]}
floor = load(sys.argv[3])["spark local[2] empty"]
fcpu = floor["user"] + floor["system"]
print("floor (spark sum of an empty file): %.2f s wall, %.2f s CPU" % (floor["mean"], fcpu))
for path in sys.argv[1:3]:
    r = load(path)
    cli = [v for k, v in r.items() if k.startswith("intact")][0]
    spark = r["spark local[2]"]
    ccpu, scpu = cli["user"] + cli["system"], spark["user"] + spark["system"]
    print("%s: spark/cli wall %.2fx (%.2f s vs %.2f s), CPU %.2fx (%.2f s vs %.2f s);"
          " beyond the floor: wall %.2fx, CPU %.2fx"
          % (path.rsplit("/", 1)[1], spark["mean"] / cli["mean"], spark["mean"], cli["mean"],
             scpu / ccpu, scpu, ccpu, (spark["mean"] - floor["mean"]) / cli["mean"],
             (scpu - fcpu) / ccpu))
PY
echo "spark-bench: done in ${SECONDS}s" 
