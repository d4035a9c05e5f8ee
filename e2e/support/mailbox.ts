// The browser tests read sign-in mails with the same in-process SMTP server as the API's tests.
export { codeIn, type Mailbox, startMailbox } from "../../apps/api/test/support/mailbox.js";
