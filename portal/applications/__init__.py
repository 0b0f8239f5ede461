"""The candidate: profile, applications with documents, consent, receipts, tracker."""
