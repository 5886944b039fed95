"""nltk's English Snowball stemmer, ported here so that a query needs no nltk.

``SnowballStemmer("english").stem`` from nltk 3.10 (``nltk/stem/snowball.py``: Copyright
(C) 2001-2026 NLTK Project, Peter Michael Stahl and others; the algorithm is Dr Martin
Porter's; Apache License 2.0), with its docstrings and comments left out and its code
unchanged, as ``ast`` prints it. Importing nltk costs 0.16 s (its ``__init__`` loads most of
the library), twice what the rest of a query's start costs, and the current Snowball
releases (PyStemmer 3, libstemmer 3) stem 56 words of our corpora otherwise (PyStemmer 2.2:
7 words, nltk's own reading of the regions R1 and R2 after step 2): an index keeps the
stems it was written with, so the stemmer must give the very same stems, and
``tests/test_analysis.py`` holds it equal to nltk's over every word of the corpora.
"""
# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

def suffix_replace(original, old, new):
    return original[:-len(old)] + new

class _English:

    def __init__(self):
        self.stopwords = set()
    __vowels = 'aeiouy'
    __double_consonants = ('bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt')
    __li_ending = 'cdeghkmnrt'
    __step0_suffixes = ("'s'", "'s", "'")
    __step1a_suffixes = ('sses', 'ied', 'ies', 'us', 'ss', 's')
    __step1b_suffixes = ('eedly', 'ingly', 'edly', 'eed', 'ing', 'ed')
    __step2_suffixes = ('ization', 'ational', 'fulness', 'ousness', 'iveness', 'tional', 'biliti', 'lessli', 'entli', 'ation', 'alism', 'aliti', 'ousli', 'iviti', 'fulli', 'enci', 'anci', 'abli', 'izer', 'ator', 'alli', 'bli', 'ogi', 'li')
    __step3_suffixes = ('ational', 'tional', 'alize', 'icate', 'iciti', 'ative', 'ical', 'ness', 'ful')
    __step4_suffixes = ('ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize', 'ion', 'al', 'er', 'ic')
    __step5_suffixes = ('e', 'l')
    __special_words = {'skis': 'ski', 'skies': 'sky', 'dying': 'die', 'lying': 'lie', 'tying': 'tie', 'idly': 'idl', 'gently': 'gentl', 'ugly': 'ugli', 'early': 'earli', 'only': 'onli', 'singly': 'singl', 'sky': 'sky', 'news': 'news', 'howe': 'howe', 'atlas': 'atlas', 'cosmos': 'cosmos', 'bias': 'bias', 'andes': 'andes', 'inning': 'inning', 'innings': 'inning', 'outing': 'outing', 'outings': 'outing', 'canning': 'canning', 'cannings': 'canning', 'herring': 'herring', 'herrings': 'herring', 'earring': 'earring', 'earrings': 'earring', 'proceed': 'proceed', 'proceeds': 'proceed', 'proceeded': 'proceed', 'proceeding': 'proceed', 'exceed': 'exceed', 'exceeds': 'exceed', 'exceeded': 'exceed', 'exceeding': 'exceed', 'succeed': 'succeed', 'succeeds': 'succeed', 'succeeded': 'succeed', 'succeeding': 'succeed'}

    def stem(self, word):
        word = word.lower()
        if word in self.stopwords or len(word) <= 2:
            return word
        elif word in self.__special_words:
            return self.__special_words[word]
        word = word.replace('’', "'").replace('‘', "'").replace('‛', "'")
        if word.startswith("'"):
            word = word[1:]
        if word.startswith('y'):
            word = ''.join(('Y', word[1:]))
        chars = list(word)
        for i in range(1, len(chars)):
            if chars[i - 1] in self.__vowels and chars[i] == 'y':
                chars[i] = 'Y'
        word = ''.join(chars)
        step1a_vowel_found = False
        step1b_vowel_found = False
        r1 = ''
        r2 = ''
        if word.startswith(('gener', 'commun', 'arsen')):
            if word.startswith(('gener', 'arsen')):
                r1 = word[5:]
            else:
                r1 = word[6:]
            for i in range(1, len(r1)):
                if r1[i] not in self.__vowels and r1[i - 1] in self.__vowels:
                    r2 = r1[i + 1:]
                    break
        else:
            r1, r2 = self._r1r2_standard(word, self.__vowels)
        for suffix in self.__step0_suffixes:
            if word.endswith(suffix):
                word = word[:-len(suffix)]
                r1 = r1[:-len(suffix)]
                r2 = r2[:-len(suffix)]
                break
        for suffix in self.__step1a_suffixes:
            if word.endswith(suffix):
                if suffix == 'sses':
                    word = word[:-2]
                    r1 = r1[:-2]
                    r2 = r2[:-2]
                elif suffix in ('ied', 'ies'):
                    if len(word[:-len(suffix)]) > 1:
                        word = word[:-2]
                        r1 = r1[:-2]
                        r2 = r2[:-2]
                    else:
                        word = word[:-1]
                        r1 = r1[:-1]
                        r2 = r2[:-1]
                elif suffix == 's':
                    for letter in word[:-2]:
                        if letter in self.__vowels:
                            step1a_vowel_found = True
                            break
                    if step1a_vowel_found:
                        word = word[:-1]
                        r1 = r1[:-1]
                        r2 = r2[:-1]
                break
        for suffix in self.__step1b_suffixes:
            if word.endswith(suffix):
                if suffix in ('eed', 'eedly'):
                    if r1.endswith(suffix):
                        word = suffix_replace(word, suffix, 'ee')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ee')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ee')
                        else:
                            r2 = ''
                else:
                    for letter in word[:-len(suffix)]:
                        if letter in self.__vowels:
                            step1b_vowel_found = True
                            break
                    if step1b_vowel_found:
                        word = word[:-len(suffix)]
                        r1 = r1[:-len(suffix)]
                        r2 = r2[:-len(suffix)]
                        if word.endswith(('at', 'bl', 'iz')):
                            word = ''.join((word, 'e'))
                            r1 = ''.join((r1, 'e'))
                            if len(word) > 5 or len(r1) >= 3:
                                r2 = ''.join((r2, 'e'))
                        elif word.endswith(self.__double_consonants):
                            word = word[:-1]
                            r1 = r1[:-1]
                            r2 = r2[:-1]
                        elif r1 == '' and len(word) >= 3 and (word[-1] not in self.__vowels) and (word[-1] not in 'wxY') and (word[-2] in self.__vowels) and (word[-3] not in self.__vowels) or (r1 == '' and len(word) == 2 and (word[0] in self.__vowels) and (word[1] not in self.__vowels)):
                            word = ''.join((word, 'e'))
                            if len(r1) > 0:
                                r1 = ''.join((r1, 'e'))
                            if len(r2) > 0:
                                r2 = ''.join((r2, 'e'))
                break
        if len(word) > 2 and word[-1] in 'yY' and (word[-2] not in self.__vowels):
            word = ''.join((word[:-1], 'i'))
            if len(r1) >= 1:
                r1 = ''.join((r1[:-1], 'i'))
            else:
                r1 = ''
            if len(r2) >= 1:
                r2 = ''.join((r2[:-1], 'i'))
            else:
                r2 = ''
        for suffix in self.__step2_suffixes:
            if word.endswith(suffix):
                if r1.endswith(suffix):
                    if suffix == 'tional':
                        word = word[:-2]
                        r1 = r1[:-2]
                        r2 = r2[:-2]
                    elif suffix in ('enci', 'anci', 'abli'):
                        word = ''.join((word[:-1], 'e'))
                        if len(r1) >= 1:
                            r1 = ''.join((r1[:-1], 'e'))
                        else:
                            r1 = ''
                        if len(r2) >= 1:
                            r2 = ''.join((r2[:-1], 'e'))
                        else:
                            r2 = ''
                    elif suffix == 'entli':
                        word = word[:-2]
                        r1 = r1[:-2]
                        r2 = r2[:-2]
                    elif suffix in ('izer', 'ization'):
                        word = suffix_replace(word, suffix, 'ize')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ize')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ize')
                        else:
                            r2 = ''
                    elif suffix in ('ational', 'ation', 'ator'):
                        word = suffix_replace(word, suffix, 'ate')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ate')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ate')
                        else:
                            r2 = 'e'
                    elif suffix in ('alism', 'aliti', 'alli'):
                        word = suffix_replace(word, suffix, 'al')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'al')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'al')
                        else:
                            r2 = ''
                    elif suffix == 'fulness':
                        word = word[:-4]
                        r1 = r1[:-4]
                        r2 = r2[:-4]
                    elif suffix in ('ousli', 'ousness'):
                        word = suffix_replace(word, suffix, 'ous')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ous')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ous')
                        else:
                            r2 = ''
                    elif suffix in ('iveness', 'iviti'):
                        word = suffix_replace(word, suffix, 'ive')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ive')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ive')
                        else:
                            r2 = 'e'
                    elif suffix in ('biliti', 'bli'):
                        word = suffix_replace(word, suffix, 'ble')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ble')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ble')
                        else:
                            r2 = ''
                    elif suffix == 'ogi' and word[-4] == 'l':
                        word = word[:-1]
                        r1 = r1[:-1]
                        r2 = r2[:-1]
                    elif suffix in ('fulli', 'lessli'):
                        word = word[:-2]
                        r1 = r1[:-2]
                        r2 = r2[:-2]
                    elif suffix == 'li' and word[-3] in self.__li_ending:
                        word = word[:-2]
                        r1 = r1[:-2]
                        r2 = r2[:-2]
                break
        for suffix in self.__step3_suffixes:
            if word.endswith(suffix):
                if r1.endswith(suffix):
                    if suffix == 'tional':
                        word = word[:-2]
                        r1 = r1[:-2]
                        r2 = r2[:-2]
                    elif suffix == 'ational':
                        word = suffix_replace(word, suffix, 'ate')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ate')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ate')
                        else:
                            r2 = ''
                    elif suffix == 'alize':
                        word = word[:-3]
                        r1 = r1[:-3]
                        r2 = r2[:-3]
                    elif suffix in ('icate', 'iciti', 'ical'):
                        word = suffix_replace(word, suffix, 'ic')
                        if len(r1) >= len(suffix):
                            r1 = suffix_replace(r1, suffix, 'ic')
                        else:
                            r1 = ''
                        if len(r2) >= len(suffix):
                            r2 = suffix_replace(r2, suffix, 'ic')
                        else:
                            r2 = ''
                    elif suffix in ('ful', 'ness'):
                        word = word[:-len(suffix)]
                        r1 = r1[:-len(suffix)]
                        r2 = r2[:-len(suffix)]
                    elif suffix == 'ative' and r2.endswith(suffix):
                        word = word[:-5]
                        r1 = r1[:-5]
                        r2 = r2[:-5]
                break
        for suffix in self.__step4_suffixes:
            if word.endswith(suffix):
                if r2.endswith(suffix):
                    if suffix == 'ion':
                        if word[-4] in 'st':
                            word = word[:-3]
                            r1 = r1[:-3]
                            r2 = r2[:-3]
                    else:
                        word = word[:-len(suffix)]
                        r1 = r1[:-len(suffix)]
                        r2 = r2[:-len(suffix)]
                break
        if r2.endswith('l') and word[-2] == 'l':
            word = word[:-1]
        elif r2.endswith('e'):
            word = word[:-1]
        elif r1.endswith('e'):
            if len(word) >= 4 and (word[-2] in self.__vowels or word[-2] in 'wxY' or word[-3] not in self.__vowels or (word[-4] in self.__vowels)):
                word = word[:-1]
        word = word.replace('Y', 'y')
        return word

    def _r1r2_standard(self, word, vowels):
        r1 = ''
        r2 = ''
        for i in range(1, len(word)):
            if word[i] not in vowels and word[i - 1] in vowels:
                r1 = word[i + 1:]
                break
        for i in range(1, len(r1)):
            if r1[i] not in vowels and r1[i - 1] in vowels:
                r2 = r1[i + 1:]
                break
        return (r1, r2)


#: The one instance: its state is constant tables only.
STEMMER = _English()
