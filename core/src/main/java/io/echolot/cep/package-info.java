/**
 * Event-time CEP whose keyed state goes back to nothing for a key with nothing left to match, so
 * the operators' state follows the live conversations and (brand, topic) keys instead of every key
 * ever seen.
 */
package io.echolot.cep;
