package dev.reversible.demo.web;

import dev.reversible.demo.account.Account;
import dev.reversible.demo.account.AccountService;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /accounts/{customer}}: a customer's balance. */
@RestController
class AccountController {

    private final AccountService accounts;

    AccountController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/accounts/{customer}")
    Account account(@PathVariable String customer) {
        return accounts.find(customer).orElseThrow(() -> new ResourceNotFoundException("account", customer));
    }
}
