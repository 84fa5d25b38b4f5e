package org.wikiiasanses.es;

import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LowerCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.fr.FrenchMinimalStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.PatternKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.FrenchStemmer;
import org.tartarus.snowball.ext.PorterStemmer;

/** Factories for the analysis components, with the settings and defaults documented by Elasticsearch. */
final class Factories {

    private Factories() {}

    // ---- analyzers ----

    static final class FrenchAnalyzerProvider extends AbstractIndexAnalyzerProvider<FrenchAnalyzer> {
        private final FrenchAnalyzer analyzer;

        FrenchAnalyzerProvider(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            analyzer = new FrenchAnalyzer(
                Analysis.parseStopWords(env, s, FrenchAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public FrenchAnalyzer get() {
            return analyzer;
        }
    }

    static final class EnglishAnalyzerProvider extends AbstractIndexAnalyzerProvider<EnglishAnalyzer> {
        private final EnglishAnalyzer analyzer;

        EnglishAnalyzerProvider(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            analyzer = new EnglishAnalyzer(
                Analysis.parseStopWords(env, s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
            );
        }

        @Override
        public EnglishAnalyzer get() {
            return analyzer;
        }
    }

    // ---- token filters ----

    static final class AsciiFolding extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFolding(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            preserveOriginal = s.getAsBoolean("preserve_original", false);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new ASCIIFoldingFilter(ts, preserveOriginal);
        }

        @Override
        public TokenStream normalize(TokenStream ts) {
            return new ASCIIFoldingFilter(ts, false);
        }
    }

    static void checkNgramDiff(IndexSettings is, int min, int max, String what) {
        int limit = is.getMaxNgramDiff();
        if (max - min > limit) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in " + what + " must be less than or equal to: ["
                    + limit + "] but was [" + (max - min) + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting."
            );
        }
    }

    static final class NGramFilter extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;
        private final boolean preserveOriginal;

        NGramFilter(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            min = s.getAsInt("min_gram", 1);
            max = s.getAsInt("max_gram", 2);
            preserveOriginal = s.getAsBoolean("preserve_original", false);
            checkNgramDiff(is, min, max, "NGram Token Filter");
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new NGramTokenFilter(ts, min, max, preserveOriginal);
        }
    }

    static final class EdgeNGramFilter extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;
        private final boolean preserveOriginal;

        EdgeNGramFilter(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            min = s.getAsInt("min_gram", 1);
            max = s.getAsInt("max_gram", 2);
            preserveOriginal = s.getAsBoolean("preserve_original", false);
            if ("back".equalsIgnoreCase(s.get("side", "front"))) {
                throw new IllegalArgumentException("side=back is not supported; use a reverse filter around it");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new EdgeNGramTokenFilter(ts, min, max, preserveOriginal);
        }
    }

    static final class Elision extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final CharArraySet articles;

        Elision(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            // As in analysis-common: a configured elision filter names its articles (the
            // pre-configured "elision" filter, without settings, keeps the French defaults).
            articles = Analysis.parseArticles(env, s);
            if (articles == null) {
                throw new IllegalArgumentException("elision filter requires [articles] or [articles_path] setting");
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new ElisionFilter(ts, articles);
        }
    }

    /** Marks tokens as keywords so that the stemmers after it leave them alone. */
    static final class KeywordMarker extends AbstractTokenFilterFactory {
        private final CharArraySet keywords;
        private final Pattern pattern;

        KeywordMarker(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            String regex = s.get("keywords_pattern");
            if (regex == null) {
                CharArraySet words = Analysis.getWordSet(env, s, "keywords");
                if (words == null) {
                    throw new IllegalArgumentException(
                        "keyword filter requires either `keywords`, `keywords_path`, or `keywords_pattern` to be configured"
                    );
                }
                keywords = new CharArraySet(words, s.getAsBoolean("ignore_case", false));
                pattern = null;
            } else {
                if (s.get("keywords") != null || s.get("keywords_path") != null) {
                    throw new IllegalArgumentException("cannot specify both `keywords_pattern` and `keywords` or `keywords_path`");
                }
                keywords = null;
                pattern = Pattern.compile(regex);
            }
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return pattern == null ? new SetKeywordMarkerFilter(ts, keywords) : new PatternKeywordMarkerFilter(ts, pattern);
        }
    }

    static final class LowerCase extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final String language;

        LowerCase(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            language = s.get("language");
        }

        @Override
        public TokenStream create(TokenStream ts) {
            if (language == null) {
                return new LowerCaseFilter(ts);
            }
            return switch (language.toLowerCase(Locale.ROOT)) {
                case "greek" -> new GreekLowerCaseFilter(ts);
                case "irish" -> new IrishLowerCaseFilter(ts);
                case "turkish" -> new TurkishLowerCaseFilter(ts);
                default -> throw new IllegalArgumentException("language [" + language + "] not supported for lowercase");
            };
        }
    }

    static final class Stemmer extends AbstractTokenFilterFactory {
        private final String language;

        Stemmer(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            language = s.get("language", s.get("name", "porter")).toLowerCase(Locale.ROOT);
            create(new KeywordTokenizer()); // fail at index creation on an unknown language
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return switch (language) {
                case "french" -> new SnowballFilter(ts, new FrenchStemmer());
                case "light_french" -> new FrenchLightStemFilter(ts);
                case "minimal_french" -> new FrenchMinimalStemFilter(ts);
                case "english", "porter" -> new PorterStemFilter(ts);
                case "light_english", "kstem" -> new KStemFilter(ts);
                case "minimal_english" -> new EnglishMinimalStemFilter(ts);
                case "possessive_english" -> new EnglishPossessiveFilter(ts);
                case "porter2" -> new SnowballFilter(ts, new EnglishStemmer());
                default -> throw new IllegalArgumentException("stemmer language [" + language + "] is not supported here");
            };
        }
    }

    static final class Snowball extends AbstractTokenFilterFactory {
        private final Supplier<SnowballStemmer> stemmer;

        Snowball(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            String language = s.get("language", "English");
            stemmer = switch (language.toLowerCase(Locale.ROOT)) {
                case "french" -> FrenchStemmer::new;
                case "english" -> EnglishStemmer::new;
                case "porter" -> PorterStemmer::new;
                default -> throw new IllegalArgumentException("snowball language [" + language + "] is not supported here");
            };
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new SnowballFilter(ts, stemmer.get());
        }
    }

    static final class Trim extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        Trim(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new TrimFilter(ts);
        }
    }

    static final class Length extends AbstractTokenFilterFactory {
        private final int min;
        private final int max;

        Length(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            min = s.getAsInt("min", 0);
            max = s.getAsInt("max", Integer.MAX_VALUE);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new LengthFilter(ts, min, max);
        }
    }

    static final class Truncate extends AbstractTokenFilterFactory {
        private final int length;

        Truncate(IndexSettings is, Environment env, String name, Settings s) {
            super(name, s);
            length = s.getAsInt("length", 10);
        }

        @Override
        public TokenStream create(TokenStream ts) {
            return new TruncateTokenFilter(ts, length);
        }
    }

    // ---- tokenizers ----

    static AnalysisProvider<TokenizerFactory> simpleTokenizer(Supplier<Tokenizer> supplier) {
        return (is, env, name, s) -> TokenizerFactory.newFactory(name, supplier);
    }

    /** The token_chars classes of the ngram tokenizers ("letter", "digit", ...; empty = every char). */
    static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars", List.of());
        String custom = s.get("custom_token_chars", "");
        if (classes.isEmpty()) {
            return c -> true;
        }
        IntPredicate p = c -> false;
        for (String cls : classes) {
            IntPredicate q = switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> c -> switch (Character.getType(c)) {
                    case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                        Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                        Character.FINAL_QUOTE_PUNCTUATION -> true;
                    default -> false;
                };
                case "symbol" -> c -> switch (Character.getType(c)) {
                    case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                        Character.OTHER_SYMBOL -> true;
                    default -> false;
                };
                case "custom" -> c -> custom.indexOf(c) >= 0;
                default -> throw new IllegalArgumentException("Unknown token type: '" + cls + "'");
            };
            p = p.or(q);
        }
        return p;
    }

    static final class NGramTokenizerFactory extends AbstractTokenizerFactory {
        private final int min;
        private final int max;
        private final IntPredicate chars;

        NGramTokenizerFactory(IndexSettings is, Environment env, String name, Settings s) {
            super(is, s, name);
            min = s.getAsInt("min_gram", 1);
            max = s.getAsInt("max_gram", 2);
            chars = tokenChars(s);
            checkNgramDiff(is, min, max, "NGram Tokenizer");
        }

        @Override
        public Tokenizer create() {
            IntPredicate c = chars;
            return new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return c.test(chr);
                }
            };
        }
    }

    static final class EdgeNGramTokenizerFactory extends AbstractTokenizerFactory {
        private final int min;
        private final int max;
        private final IntPredicate chars;

        EdgeNGramTokenizerFactory(IndexSettings is, Environment env, String name, Settings s) {
            super(is, s, name);
            min = s.getAsInt("min_gram", 1);
            max = s.getAsInt("max_gram", 2);
            chars = tokenChars(s);
        }

        @Override
        public Tokenizer create() {
            IntPredicate c = chars;
            return new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return c.test(chr);
                }
            };
        }
    }

    static final class KeywordTokenizerFactory extends AbstractTokenizerFactory {
        private final int bufferSize;

        KeywordTokenizerFactory(IndexSettings is, Environment env, String name, Settings s) {
            super(is, s, name);
            bufferSize = s.getAsInt("buffer_size", 256);
        }

        @Override
        public Tokenizer create() {
            return new KeywordTokenizer(bufferSize);
        }
    }

    static final class WhitespaceTokenizerFactory extends AbstractTokenizerFactory {
        private final int maxTokenLength;

        WhitespaceTokenizerFactory(IndexSettings is, Environment env, String name, Settings s) {
            super(is, s, name);
            maxTokenLength = s.getAsInt("max_token_length", 255);
        }

        @Override
        public Tokenizer create() {
            return new WhitespaceTokenizer(WhitespaceTokenizer.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength);
        }
    }

    static final class PatternTokenizerFactory extends AbstractTokenizerFactory {
        private final Pattern pattern;
        private final int group;

        PatternTokenizerFactory(IndexSettings is, Environment env, String name, Settings s) {
            super(is, s, name);
            pattern = Pattern.compile(s.get("pattern", "\\W+"));
            group = s.getAsInt("group", -1);
        }

        @Override
        public Tokenizer create() {
            return new PatternTokenizer(pattern, group);
        }
    }

    // ---- char filters ----

    static final class HtmlStrip extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {
        private final HashSet<String> escapedTags;

        HtmlStrip(IndexSettings is, Environment env, String name, Settings s) {
            super(name);
            escapedTags = new HashSet<>(s.getAsList("escaped_tags", List.of()));
        }

        @Override
        public Reader create(Reader reader) {
            return new HTMLStripCharFilter(reader, escapedTags);
        }
    }
}
