#!/usr/bin/env python3
"""The cover letter of the series, kept as the branch description.

  cover.py read COVER     print the description (subject, blank line, body)
                          held by an exported cover letter
  cover.py date COVER DATE
                          set the cover letter's Date: header (export uses
                          the last patch's date, so the file is stable)
"""
import re
import sys


def read(path):
    text = open(path, encoding='utf-8').read()
    head, _, body = text.partition('\n\n')
    subject = ''
    lines = head.split('\n')
    for i, line in enumerate(lines):
        if line.startswith('Subject: '):
            subject = line[len('Subject: '):]
            # folded header lines
            for cont in lines[i + 1:]:
                if not cont.startswith((' ', '\t')):
                    break
                subject += cont
            break
    subject = re.sub(r'^\[PATCH[^\]]*\]\s*', '', subject)
    # The body ends where git's shortlog ("Author (N):") begins.
    out = []
    for line in body.split('\n'):
        if re.match(r'^\S.* \(\d+\):$', line):
            break
        out.append(line)
    print(subject + '\n\n' + '\n'.join(out).strip('\n'))


def date(path, value):
    text = open(path, encoding='utf-8').read()
    text = re.sub(r'^Date: .*$', 'Date: ' + value, text, count=1,
                  flags=re.M)
    open(path, 'w', encoding='utf-8').write(text)


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'read':
        read(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'date':
        date(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
