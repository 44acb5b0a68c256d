package dev.workbench.data.sequence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens and their ids. Word vocabularies reserve id 0 for padding and id 1 for tokens never seen in training;
 * character vocabularies of a closed alphabet need neither. A vocabulary for masked language modelling also
 * reserves id 2 for the class token that starts every sentence and id 3 for the mask token (BERT's [CLS], [MASK]).
 */
public final class Vocabulary {
    public static final String PAD = "<pad>";
    public static final String UNKNOWN = "<unk>";
    public static final String CLS = "<cls>";
    public static final String MASK = "<mask>";
    /** The reserved tokens of {@link #maskable}, in id order. */
    public static final List<String> MASKABLE_RESERVED = List.of(PAD, UNKNOWN, CLS, MASK);

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final boolean open;
    private final int reserved;

    private Vocabulary(List<String> tokens, boolean open, int reserved) {
        this.tokens = List.copyOf(tokens);
        this.open = open;
        this.reserved = reserved;
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i);
        }
    }

    /** Every distinct character of {@code text}, sorted by code point (as char-rnn and nanoGPT do). */
    public static Vocabulary characters(String text) {
        List<String> chars = text.codePoints().distinct().sorted().mapToObj(Character::toString).toList();
        return new Vocabulary(chars, false, 0);
    }

    /**
     * Words seen at least {@code minCount} times in {@code texts}, the {@code maxSize} most frequent (ties by
     * first appearance), after {@link #PAD} and {@link #UNKNOWN}.
     */
    public static Vocabulary words(Collection<List<String>> texts, int minCount, int maxSize) {
        return words(texts, minCount, maxSize, List.of(PAD, UNKNOWN));
    }

    /** As {@link #words}, after {@link #MASKABLE_RESERVED}: padding, unknown, class and mask tokens. */
    public static Vocabulary maskable(Collection<List<String>> texts, int minCount, int maxSize) {
        return words(texts, minCount, maxSize, MASKABLE_RESERVED);
    }

    private static Vocabulary words(Collection<List<String>> texts, int minCount, int maxSize, List<String> reserved) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        texts.forEach(text -> text.forEach(word -> counts.merge(word, 1, Integer::sum)));
        List<String> tokens = new ArrayList<>(reserved);
        counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount)
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(maxSize)
                .forEach(e -> tokens.add(e.getKey()));
        return new Vocabulary(tokens, true, reserved.size());
    }

    /** A closed vocabulary of exactly {@code tokens}, in id order (a trained model's characters). */
    public static Vocabulary closed(List<String> tokens) {
        return new Vocabulary(tokens, false, 0);
    }

    public int size() {
        return tokens.size();
    }

    public List<String> tokens() {
        return tokens;
    }

    /** Whether {@code token} has an id of its own (a reserved token, or a word the vocabulary kept). */
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** How many ids at the start are reserved tokens ({@link #PAD}, {@link #UNKNOWN}, ...), not words. */
    public int reserved() {
        return reserved;
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /**
     * {@code text} as this vocabulary's tokens: lower-case words as {@link LabelledSentencesSource#words} reads them
     * for a word vocabulary, characters for a closed alphabet.
     */
    public List<String> split(String text) {
        return open ? LabelledSentencesSource.words(text)
                : text.codePoints().mapToObj(Character::toString).toList();
    }

    /** What a token is: {@code words} or {@code characters}, for messages. */
    public String tokenKind() {
        return open ? "words" : "characters";
    }

    /** The ids of {@code text}'s tokens ({@link #split}, then {@link #id}). */
    public int[] ids(String text) {
        return split(text).stream().mapToInt(this::id).toArray();
    }

    /**
     * The id of {@code token}: unknown words map to {@link #UNKNOWN}; a character outside a closed alphabet is an
     * error naming it.
     */
    public int id(String token) {
        Integer id = ids.get(token);
        if (id != null) {
            return id;
        }
        if (open) {
            return 1;
        }
        throw new IllegalArgumentException("character " + describe(token) + " is not in the vocabulary of "
                + tokens.size() + " characters the model was trained on");
    }

    private static String describe(String token) {
        return token.codePoints().allMatch(Character::isISOControl)
                ? String.format("U+%04X", token.codePointAt(0)) : "'" + token + "'";
    }
}
