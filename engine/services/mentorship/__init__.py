"""Who mentors whom and their programs: what the modules share — the mentor ruleset, a ruleset's facts, people
and organizations looked up (``basics``) —, the mentee registry (``mentee_registry``), mentor appointment
(``mentor_appointment``) and pair formation (``formation``; what its steps and order do: ``pair_steps``), decisions and roles they record (``records``),
proposing a pair (``pair_proposals``), a program's records (``programs``), its lifecycle on the workflow
(``lifecycle``) and the orders of its course (``program_orders``), petitions (``petitions``), the orders of the organization's mentorship model (``model_orders``), attachments
(``attachments``), what participants do (``participant_work``) and see (``participant_views``), what staff see of
programs (``program_views``) and of pairs (``pair_views``), corrections of a program's plan (``plan_corrections``: who may — ``plan_access``,
drafting — ``plan_drafts``, agreeing and deciding — ``plan_decisions``, the order's rows — ``plan_order_rows``)
and what they tell (``plan_notices``).
Imports: ``people``, ``process``, ``audit``, ``orders``, regulations (packs and roadmaps), rules."""
