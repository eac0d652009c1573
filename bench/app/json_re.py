"""The python_json_re application benchmark (bench/app/run.sh): a fixed
list of records through json.dumps and json.loads, and a regular
expression over the text, for a fixed number of rounds; prints a checksum
so that every kernel does the same work."""
import json
import re

WORD = re.compile(r'"name": "([a-z]+)-(\d+)"')
ROUNDS = 12
RECORDS = 2000


def main():
    records = [{'id': i, 'name': 'item-%d' % i,
                'tags': ['t%d' % (i % 7), 'x%d' % (i % 13)],
                'score': i * 0.5, 'ok': i % 3 == 0}
               for i in range(RECORDS)]
    total = 0
    for _ in range(ROUNDS):
        text = json.dumps(records)
        back = json.loads(text)
        for m in WORD.finditer(text):
            total += int(m.group(2)) + len(m.group(1))
        total += sum(r['id'] for r in back if r['ok'])
    print(total)


main()
