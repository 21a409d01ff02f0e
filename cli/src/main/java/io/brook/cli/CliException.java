package io.brook.cli;

/**
 * A failure a command reports as one line and exit status 1: something the cluster refused, or a
 * state that forbids the command (a group still active, a user that exists). Its message is
 * written for the user and never holds a password.
 */
public final class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }
}
