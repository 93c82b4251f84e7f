/**
 * Language detection: {@link io.echolot.language.LanguageDetector} and its implementation on n-gram
 * profiles, {@link io.echolot.language.OptimaizeLanguageDetector}. A language that came with the
 * event wins ({@link io.echolot.language.LanguageDetector#languageOf}); build the detector in the
 * function's constructor (only its configuration is serialized) and call {@code warmUp()} in {@code
 * open()} to load the profiles before the first record.
 */
package io.echolot.language;
