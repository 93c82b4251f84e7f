package io.echolot.care;

import io.echolot.model.Mention;

/** A mention with the CRM record of its author, or {@code customer == null} when unknown. */
public record CustomerMention(Mention mention, CustomerRecord customer) {}
