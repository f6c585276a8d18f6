# language: zh-CN
功能: 复合事件——柜台前客户投诉，值班电话报险情，打印机又卡了纸
  培训主管要求：几件事撞在一起，先顾安全，再顾设备，再顾服务。
  电话响了要及时接（3.3.c）；对方一报险情，第一句话就是安全提示，卡纸等安全提示说完再处理，
  抢修工单派出之前不回头写投诉记录，险情要报告值班长（3.3.c），一票否决；
  抢修工单走故障报修模块，派单前复述核对地点，按时派出，启动应急预案（3.1.b、3.2.a、3.1.d、5.3.d）；
  卡纸要停机、先查原因再排除、打测试页、记故障记录（5.3.b、5.1.c、4.3.e）；
  投诉的客户要冷静接待，不顶撞、不把人激怒（3.3.b），如实解答、不乱许诺（3.2.c），
  投诉详细记录并报告值班长（3.3.b，一票否决）；两位客户都要告知结果、登记台账（3.1.e）。

  背景:
    假如 柜台场景为"combined_incident"

  场景大纲: 按规程处置的受理员，三种组合都得满分，两位客户的事都办完
    假如 随机种子为 <种子>
    当 模拟学员"expert"完成本次受理
    那么 得分为 100 分
    并且 结论为"合格"
    并且 客户报告险情后，受理员的第一步是安全提示
    并且 抢修工单派出之后，受理员才回头写投诉记录
    并且 报险情的来电客户和柜台前投诉的客户，两边的事都办完了

    例子: 面馆冰柜、直播断电、锦鲤死亡
      | 种子 |
      | 1    |
      | 0    |
      | 5    |

  场景: 先填单的受理员：埋头写投诉记录，电话响了半分钟才接，接了又先开工单
    假如 随机种子为 0
    当 模拟学员"paperwork_first"完成本次受理
    那么 条款"3.3.c"判为"违反"
    并且 条款"3.3.b"判为"违反"
    并且 条款"3.2.c"判为"违反"
    并且 其余条款全部判为"符合"
    并且 本次受理因条款"3.3.c"被一票否决

  场景: 慌乱的受理员：安慰来电的人“这种事常有”，卡纸不停机、不查原因就硬拽
    假如 随机种子为 2
    当 模拟学员"panicky"完成本次受理
    那么 条款"3.3.c"判为"违反"
    并且 条款"5.3.b"判为"遗漏"
    并且 条款"5.1.c"判为"遗漏"
    并且 条款"3.2.c"判为"违反"
    并且 扣分证据中引用了受理员的原话"这种事常有"
    并且 扣分证据中引用了受理员的原话"这个钱肯定给您赔"
    并且 本次受理因条款"3.3.c"被一票否决

  场景: 不耐烦的受理员：处处顶撞投诉的客户，把人激得更火
    假如 随机种子为 1
    当 模拟学员"brusque"完成本次受理
    那么 条款"3.3.b"判为"违反"
    并且 条款"3.2.c"判为"违反"
    并且 其余条款全部判为"符合"
    并且 扣分证据中引用了受理员的原话"嚷什么"
    并且 投诉的客户被激得更加气愤
    并且 本次受理没有一票否决的条款
    并且 结论为"不合格"

  场景: 马虎的受理员：投诉不记录，故障不记录，台账也不登
    假如 随机种子为 5
    当 模拟学员"careless"完成本次受理
    那么 条款"3.3.b"判为"遗漏"
    并且 条款"4.3.e"判为"遗漏"
    并且 条款"3.1.e"判为"遗漏"
    并且 条款"3.2.a"判为"违反"
    并且 其余条款全部判为"符合"
    并且 本次受理因条款"3.3.b"被一票否决

  场景: 独断的受理员：险情和投诉都不报告值班长
    假如 随机种子为 11
    当 模拟学员"solo"完成本次受理
    那么 条款"3.3.c"判为"遗漏"
    并且 条款"3.3.b"判为"遗漏"
    并且 本次受理因条款"3.3.c、3.3.b"被一票否决

  场景: 受理员按自己的操作记录评分：先派抢修工单，再处理卡纸，也得满分
    假如 随机种子为 1
    当 受理员依次操作:
      | 时间 | 动作                | 参数                 |
      | 0    | say                 | reply=outburst_calm  |
      | 8    | say                 | reply=demand_truth   |
      | 10   | check_system_status |                      |
      | 17   | answer_phone        |                      |
      | 20   | say                 | reply=report_safety  |
      | 28   | say                 | reply=when_commit    |
      | 36   | stop_operation      |                      |
      | 38   | select_module       | module=fault_repair  |
      | 43   | report_supervisor   |                      |
      | 63   | start_contingency   |                      |
      | 73   | say                 | reply=jump_explain   |
      | 81   | enter_customer_data |                      |
      | 121  | say                 | reply=wait_honest    |
      | 129  | verify_data         |                      |
      | 149  | submit_application  |                      |
      | 154  | inform_customer     |                      |
      | 169  | record_result       |                      |
      | 184  | inspect_printer     |                      |
      | 199  | clear_paper_jam     |                      |
      | 229  | test_print          |                      |
      | 239  | log_fault           |                      |
      | 259  | serve               | customer=complainant |
      | 262  | select_module       | module=complaint     |
      | 267  | record_complaint    |                      |
      | 307  | report_supervisor   |                      |
      | 327  | inform_customer     |                      |
      | 342  | record_result       |                      |
      | 357  | finish              |                      |
    那么 得分为 100 分
    并且 抢修工单派出之后，受理员才去处理卡纸
    并且 报险情的来电客户和柜台前投诉的客户，两边的事都办完了

  场景: 受理员按自己的操作记录评分：抢修工单还没派，先回头写投诉记录
    假如 随机种子为 2
    当 受理员依次操作:
      | 时间 | 动作                | 参数                 |
      | 0    | say                 | reply=outburst_calm  |
      | 8    | say                 | reply=demand_truth   |
      | 10   | check_system_status |                      |
      | 13   | answer_phone        |                      |
      | 16   | say                 | reply=report_safety  |
      | 24   | say                 | reply=when_commit    |
      | 32   | stop_operation      |                      |
      | 34   | select_module       | module=fault_repair  |
      | 39   | report_supervisor   |                      |
      | 59   | start_contingency   |                      |
      | 69   | say                 | reply=jump_explain   |
      | 77   | serve               | customer=complainant |
      | 80   | select_module       | module=complaint     |
      | 85   | record_complaint    |                      |
      | 125  | say                 | reply=wait_honest    |
      | 133  | serve               | customer=caller      |
      | 136  | enter_customer_data |                      |
      | 176  | verify_data         |                      |
      | 196  | submit_application  |                      |
      | 201  | inform_customer     |                      |
      | 216  | record_result       |                      |
      | 231  | inspect_printer     |                      |
      | 246  | clear_paper_jam     |                      |
      | 276  | test_print          |                      |
      | 286  | log_fault           |                      |
      | 306  | serve               | customer=complainant |
      | 309  | report_supervisor   |                      |
      | 329  | inform_customer     |                      |
      | 344  | record_result       |                      |
      | 359  | finish              |                      |
    那么 条款"3.3.c"判为"违反"
    并且 其余条款全部判为"符合"
    并且 本次受理因条款"3.3.c"被一票否决
