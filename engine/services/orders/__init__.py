"""Orders (приказ / распоряжение): the register — draft, redraft, submit (``drafting``); number, sign, refuse
(``signing``); the common rules, verify, what awaits signature (``register``); the ids an order's text prints
resolved (``document_data``); the order a workflow waits on (``in_workflows``); what the head sees and decides
(``views``). Imports: ``people``, ``process``, ``audit``, documents."""
