package dev.sodam.bot.analysis;

import java.io.Reader;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;

/**
 * An analyzer spelled as its chain: char filters, a tokenizer, token filters. Each of Sodam's
 * analyzers is one of these, so the chain reads in one line where it is defined.
 */
final class FilterChain extends Analyzer {
    private final UnaryOperator<Reader> charFilters;
    private final Supplier<Tokenizer> tokenizer;
    private final Function<TokenStream, TokenStream> filters;

    FilterChain(UnaryOperator<Reader> charFilters, Supplier<Tokenizer> tokenizer,
                Function<TokenStream, TokenStream> filters) {
        this.charFilters = charFilters;
        this.tokenizer = tokenizer;
        this.filters = filters;
    }

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        return charFilters.apply(reader);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = tokenizer.get();
        return new TokenStreamComponents(source, filters.apply(source));
    }
}
