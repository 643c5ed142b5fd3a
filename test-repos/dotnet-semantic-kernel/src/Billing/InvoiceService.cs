using Microsoft.Extensions.Logging;

namespace Billing;

// Plain invoicing: no OpenAI, no Microsoft.SemanticKernel. Totals are computed
// here, never by a model.
public sealed class InvoiceService(ILogger<InvoiceService> logger)
{
    private const string Footer = "Generated without Azure.AI.OpenAI";

    public decimal Total(IEnumerable<(string Item, decimal Amount)> lines)
    {
        var total = lines.Sum(l => l.Amount);
        logger.LogInformation("Invoice total {Total}", total);
        return total;
    }

    public string Render(decimal total) => $"Total: {total:C}\n{Footer}";
}
