package io.echolot.localstack;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The three analysis components that Elasticsearch's own {@code .security} index asks for and that
 * only the {@code analysis-common} module provides, which the integ-test distribution lacks.
 * Without them that index cannot be created, and with it go native users, roles and API keys.
 *
 * <p>Loaded only by {@code elasticsearch.sh start --security}, never by the default stack. They are
 * built on the Lucene classes the distribution ships; {@code unique} here drops repeated tokens at
 * one position only, enough for the e-mail field it serves. A full Elasticsearch distribution has
 * {@code analysis-common} and needs none of this.
 */
public class SecurityIndexAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "pattern_capture",
                (indexSettings, environment, name, settings) -> {
                    List<Pattern> patterns = new ArrayList<>();
                    for (String pattern : settings.getAsList("patterns")) {
                        patterns.add(Pattern.compile(pattern));
                    }
                    boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
                    Pattern[] compiled = patterns.toArray(new Pattern[0]);
                    return new AbstractTokenFilterFactory(name, settings) {
                        @Override
                        public TokenStream create(TokenStream in) {
                            return new PatternCaptureGroupTokenFilter(
                                    in, preserveOriginal, compiled);
                        }
                    };
                },
                "unique",
                (indexSettings, environment, name, settings) ->
                        new AbstractTokenFilterFactory(name, settings) {
                            @Override
                            public TokenStream create(TokenStream in) {
                                return new RemoveDuplicatesTokenFilter(in);
                            }
                        });
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
                "uax_url_email",
                (indexSettings, environment, name, settings) ->
                        new AbstractTokenizerFactory(indexSettings, settings, name) {
                            @Override
                            public Tokenizer create() {
                                return new UAX29URLEmailTokenizer();
                            }
                        });
    }
}
