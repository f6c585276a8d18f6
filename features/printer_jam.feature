# language: zh-CN
功能: 受理新装时打印机卡纸
  培训主管要求：开门前值班长交代打印的停电公告卡在了柜台打印机里（或者墨盒没墨了），
  不管受理员打不打受理回执都会碰上。受理员应立即停止操作，先查明原因再排除（5.3.b），
  换墨盒要戴手套（2.1.b），修好后打测试页（5.1.c），填写设备故障记录（4.3.e）；
  客户的每一句问话都要如实、耐心地回答（3.2.c），专业术语不能乱用（3.2.b）；
  核对后再提交（3.2.a、3.1.d），受理回执打出来交给客户，告知结果并登记台账（3.1.d、3.1.e）。
  替客户签字、答应换新打印机、手写回执盖业务章、“我做主给您加急”都是擅自处理（3.3.d），
  客户抱怨时顶回去就是与客户争吵（3.3.b），这两条为一票否决项。
  客户会顶回来：一串流程名词，客户说“听不懂，说大白话”；“到时候再说吧”，客户把问题再问一遍，
  再搪塞就要找领导（3.2.b、3.2.c，扣分）。

  背景:
    假如 柜台场景为"printer_jam"

  场景大纲: 严格按规程处置的受理员，任何随机变体下都得满分
    假如 随机种子为 <种子>
    当 模拟学员"expert"完成本次受理
    那么 得分为 100 分
    并且 结论为"合格"

    例子:
      | 种子 |
      | 0    |
      | 5    |
      | 42   |

  场景: 马虎的受理员：不核对信息就提交，也不填故障记录、不登记台账
    假如 随机种子为 5
    当 模拟学员"careless"完成本次受理
    那么 条款"3.2.a"判为"遗漏"
    并且 条款"3.1.d"判为"违反"
    并且 条款"4.3.e"判为"遗漏"
    并且 条款"3.1.e"判为"遗漏"
    并且 其余适用的条款全部判为"符合"
    并且 结论为"不合格"

  场景: 慌乱的受理员：卡纸后不停手、不查原因就拽纸，对客户说是系统在更新，还“做主”换新打印机
    假如 随机种子为 3
    当 模拟学员"panicky"完成本次受理
    那么 条款"5.3.b"判为"遗漏"
    并且 条款"5.3.b"判为"违反"
    并且 条款"5.1.c"判为"遗漏"
    并且 条款"3.2.c"判为"违反"
    并且 扣分证据中引用了受理员的原话"系统在自动更新"
    并且 扣分证据中引用了受理员的原话"这事我做主了"
    并且 一票否决的条款只有"3.3.d"
    并且 结论为"不合格"

  场景: 不耐烦的受理员：客户抱怨机器老出毛病，受理员顶了回去，客户被气走了
    假如 随机种子为 3
    当 模拟学员"brusque"完成本次受理
    那么 条款"3.3.b"判为"违反"
    并且 扣分证据中引用了受理员的原话"您冲我嚷嚷有什么用"
    并且 客户被气走了，申请没办成
    并且 一票否决的条款只有"3.3.b"
    并且 结论为"不合格"

  场景: 从不打印回执的受理员照样碰上卡纸：卡纸的各条按实际处置评判，只有回执一条遗漏
    假如 随机种子为 0
    当 受理员依次操作:
      | 时间 | 动作                | 参数                  |
      | 0    | say                 | reply=greet_ok        |
      | 8    | log_in              |                       |
      | 23   | check_system_status |                       |
      | 28   | stop_operation      |                       |
      | 30   | inspect_printer     |                       |
      | 45   | say                 | reply=delay_honest    |
      | 53   | say                 | reply=grumble_own     |
      | 61   | clear_paper_jam     |                       |
      | 91   | test_print          |                       |
      | 101  | log_fault           |                       |
      | 121  | select_module       | module=new_connection |
      | 126  | receive_documents   |                       |
      | 136  | enter_customer_data |                       |
      | 176  | verify_data         |                       |
      | 196  | submit_application  |                       |
      | 201  | say                 | reply=receipt_honest  |
      | 215  | inform_customer     |                       |
      | 230  | say                 | reply=when_honest     |
      | 238  | say                 | reply=come_back_honest |
      | 246  | record_result       |                       |
      | 261  | finish              |                       |
    那么 受理员一次也没打印，打印机照样出了故障
    并且 条款"5.3.b"判为"符合"
    并且 条款"5.1.c"判为"符合"
    并且 条款"4.3.e"判为"符合"
    并且 条款"3.1.d"判为"遗漏"
    并且 除了只在换墨盒时适用的两条和客户追问时才适用的两条，没有一条判为"不适用"

  场景: 受理员按自己的操作记录评分：卡纸后没停手，接着办业务，还点了打印回执
    假如 随机种子为 0
    当 受理员依次操作:
      | 时间 | 动作                | 参数                   |
      | 0    | say                 | reply=greet_ok         |
      | 8    | log_in              |                        |
      | 23   | check_system_status |                        |
      | 28   | select_module       | module=new_connection  |
      | 33   | receive_documents   |                        |
      | 40   | say                 | reply=delay_honest     |
      | 48   | say                 | reply=grumble_own      |
      | 56   | enter_customer_data |                        |
      | 96   | verify_data         |                        |
      | 116  | submit_application  |                        |
      | 121  | say                 | reply=receipt_honest   |
      | 129  | print_form          |                        |
      | 131  | stop_operation      |                        |
      | 133  | inspect_printer     |                        |
      | 148  | clear_paper_jam     |                        |
      | 178  | test_print          |                        |
      | 188  | log_fault           |                        |
      | 198  | print_form          |                        |
      | 210  | inform_customer     |                        |
      | 225  | say                 | reply=when_honest      |
      | 233  | say                 | reply=come_back_honest |
      | 241  | record_result       |                        |
      | 256  | finish              |                        |
    那么 条款"5.3.b"判为"违反"
    并且 第 129 秒的打印操作被记为无效操作
    并且 条款"3.2.c"判为"符合"
    并且 条款"3.2.a"判为"符合"

  场景: 卡纸后正好 30 秒停手，算在时限之内
    假如 随机种子为 1
    当 受理员依次操作:
      | 时间  | 动作                | 参数                   |
      | 0     | say                 | reply=greet_ok         |
      | 8     | log_in              |                        |
      | 23    | check_system_status |                        |
      | 28    | select_module       | module=new_connection  |
      | 33    | receive_documents   |                        |
      | 42    | say                 | reply=delay_honest     |
      | 50.2  | stop_operation      |                        |
      | 52.2  | say                 | reply=grumble_own      |
      | 60.2  | inspect_printer     |                        |
      | 75.2  | clear_paper_jam     |                        |
      | 105.2 | test_print          |                        |
      | 115.2 | log_fault           |                        |
      | 135.2 | enter_customer_data |                        |
      | 175.2 | verify_data         |                        |
      | 195.2 | submit_application  |                        |
      | 200.2 | say                 | reply=receipt_honest   |
      | 208.2 | print_form          |                        |
      | 215   | inform_customer     |                        |
      | 230   | say                 | reply=when_honest      |
      | 238   | say                 | reply=come_back_honest |
      | 246   | record_result       |                        |
      | 261   | finish              |                        |
    那么 受理员在打印机故障后恰好 30 秒停止操作
    并且 条款"5.3.b"判为"符合"
    并且 得分为 100 分
    并且 结论为"合格"
