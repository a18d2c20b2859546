package org.tlschat.client.audit;

/** One row of the audit: what is tried, what a sound server does, and the check itself. */
record Attack(String name, String expected, Check check) {

    @FunctionalInterface
    interface Check {
        Result run(AuditTarget target) throws Exception;
    }

    enum Verdict {
        PASS,
        FAIL,
        SKIP
    }

    /** What the server did, and whether that is what {@link #expected()} says. */
    record Result(Verdict verdict, String observed) {
        static Result pass(String observed) {
            return new Result(Verdict.PASS, observed);
        }

        static Result fail(String observed) {
            return new Result(Verdict.FAIL, observed);
        }

        static Result skip(String why) {
            return new Result(Verdict.SKIP, why);
        }

        static Result passIf(boolean ok, String observed) {
            return ok ? pass(observed) : fail(observed);
        }
    }

    /** Runs the check; an exception is a FAIL that says what went wrong. */
    Result run(AuditTarget target) {
        try {
            return check.run(target);
        } catch (Exception e) {
            return Result.fail("error: " + e.getMessage());
        }
    }
}
